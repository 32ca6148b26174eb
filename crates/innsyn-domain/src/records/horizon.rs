//! How far ahead of the service's clock an ingested event may be stamped.
//!
//! Producers' clocks drift a little, so an event a few minutes "in the
//! future" is normal; one hours or years ahead is a producer bug (seconds
//! taken for milliseconds, a wrong zone) and would sit at the top of the
//! citizen's history for ever. The caller passes its own `now`: the rule
//! is pure.

use std::fmt;

use time::{Duration, OffsetDateTime};

/// The latest instant an ingested event may carry: `now` plus the allowed
/// skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    latest: Option<OffsetDateTime>,
    skew: Duration,
}

/// An event stamped more than the allowed skew after the service's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct TooFarAhead {
    skew: Duration,
}

impl fmt::Display for TooFarAhead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "must not be more than {} seconds after the service's clock",
            self.skew.whole_seconds()
        )
    }
}

impl Horizon {
    /// Events up to `max_skew` after `now` are accepted; a negative skew
    /// counts as zero.
    pub fn new(now: OffsetDateTime, max_skew: Duration) -> Self {
        let skew = max_skew.max(Duration::ZERO);
        Self {
            // Past the end of time, nothing representable is too late.
            latest: now.checked_add(skew),
            skew,
        }
    }

    /// No limit: for records that were checked when they were ingested
    /// (re-validation) and for callers without a clock.
    pub fn unbounded() -> Self {
        Self {
            latest: None,
            skew: Duration::MAX,
        }
    }

    /// `Ok` when `at` is at most the skew after `now`.
    pub fn check(&self, at: OffsetDateTime) -> Result<(), TooFarAhead> {
        match self.latest {
            Some(latest) if at > latest => Err(TooFarAhead { skew: self.skew }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

    #[test]
    fn the_skew_is_inclusive() {
        let h = Horizon::new(NOW, Duration::seconds(300));
        assert_eq!(h.check(NOW - Duration::days(3650)), Ok(()));
        assert_eq!(h.check(NOW), Ok(()));
        assert_eq!(h.check(NOW + Duration::seconds(300)), Ok(()));
        let late = h.check(NOW + Duration::seconds(301)).unwrap_err();
        assert_eq!(
            late.to_string(),
            "must not be more than 300 seconds after the service's clock"
        );
    }

    #[test]
    fn zero_negative_and_huge_skews() {
        let zero = Horizon::new(NOW, Duration::ZERO);
        assert!(zero.check(NOW).is_ok());
        assert!(zero.check(NOW + Duration::nanoseconds(1)).is_err());
        assert_eq!(Horizon::new(NOW, Duration::seconds(-5)), zero);
        let huge = Horizon::new(NOW, Duration::MAX);
        assert!(huge.check(datetime!(9999-12-31 23:59:59 UTC)).is_ok());
        assert!(
            Horizon::unbounded()
                .check(datetime!(9999-12-31 23:59:59 UTC))
                .is_ok()
        );
    }

    proptest! {
        #[test]
        fn accepts_exactly_up_to_now_plus_skew(skew in 0i64..100_000, offset in -200_000i64..200_000) {
            let h = Horizon::new(NOW, Duration::seconds(skew));
            let at = NOW + Duration::seconds(offset);
            prop_assert_eq!(h.check(at).is_ok(), offset <= skew);
        }
    }
}
