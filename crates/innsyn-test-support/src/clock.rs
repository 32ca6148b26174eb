use std::sync::Mutex;

use innsyn_ports::Clock;
use time::OffsetDateTime;

/// A clock that says what the test set, until the test moves it.
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    /// Stopped at `now`.
    pub fn at(now: OffsetDateTime) -> Self {
        Self(Mutex::new(now))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: OffsetDateTime) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn stays_where_it_is_set() {
        let c = FixedClock::at(datetime!(2024-05-15 12:00 UTC));
        assert_eq!(c.now(), datetime!(2024-05-15 12:00 UTC));
        c.set(datetime!(2024-05-16 12:00 UTC));
        assert_eq!(c.now(), datetime!(2024-05-16 12:00 UTC));
    }
}
