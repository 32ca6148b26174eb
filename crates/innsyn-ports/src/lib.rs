//! The ports of innsyn: what the application needs from the outside world,
//! as traits and their error types only. Adapters implement them; the
//! use-case layer (`innsyn-app`) calls them. With the `mock` feature every
//! port has a `mockall` mock.

mod clock;
mod dead_letters;
mod disputes;
mod log;
mod login;
mod page_sessions;
mod store;
mod token;

pub use clock::Clock;
pub use dead_letters::{DeadLetter, DeadLetterStore, StreamPosition};
pub use disputes::{DisputeStore, NewDispute, OpenOutcome};
pub use log::{LogStore, StoredCheckpoint, SubjectLeaf, TreeHead};
pub use login::{CitizenLogin, LoggedIn, LoginError, LoginStart, PendingLogin};
pub use page_sessions::{PageSecret, PageSecretKind, PageSessionStore};
pub use store::{AccessHistoryAnswer, HistoryStore, PoolState, RetentionOutcome, StoreError};
pub use token::{AccessToken, TokenError, TokenIntrospector};

#[cfg(feature = "mock")]
pub use clock::MockClock;
#[cfg(feature = "mock")]
pub use dead_letters::MockDeadLetterStore;
#[cfg(feature = "mock")]
pub use disputes::MockDisputeStore;
#[cfg(feature = "mock")]
pub use log::MockLogStore;
#[cfg(feature = "mock")]
pub use login::MockCitizenLogin;
#[cfg(feature = "mock")]
pub use page_sessions::MockPageSessionStore;
#[cfg(feature = "mock")]
pub use store::MockHistoryStore;
#[cfg(feature = "mock")]
pub use token::MockTokenIntrospector;
