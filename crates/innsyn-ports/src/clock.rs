use time::OffsetDateTime;

/// The current time. The domain never reads the system clock; the server
/// passes this in, and tests pin it.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> OffsetDateTime;
}
