use innsyn_domain::disputes::{Dispute, DisputeError};
use innsyn_domain::{Denied, InvalidParams};
use innsyn_ports::{LoginError, StoreError, TokenError};

/// Why a use case failed. Every message is safe to log: no token, identity
/// number or record content ever reaches one (the ports and the domain
/// promise the same of theirs).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The token was refused, or the issuer could not be asked.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The caller is known but not allowed.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// Bad parameters or fields, each named.
    #[error("{0}")]
    InvalidParams(#[from] InvalidParams),
    /// Seed 2's "No such object": the store has never seen this user.
    #[error("No such object: there is no history for this user")]
    UnknownOwner,
    /// A batch with more items than ingestion takes at once.
    #[error("a batch holds at most {max} items")]
    BatchTooLarge {
        /// The largest batch.
        max: usize,
    },
    /// The store failed, or no turn at it came in time.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The citizen's login at the OpenID provider failed.
    #[error(transparent)]
    Login(#[from] LoginError),
    /// The citizen page has no OpenID provider configured.
    #[error("no OpenID provider is configured for the citizen's login")]
    LoginNotConfigured,
    /// No case with this id that the caller may see (another party's
    /// case is "not found" too, so ids leak nothing).
    #[error("No such case")]
    NoSuchCase,
    /// The citizen disputed this item before: that case.
    #[error("this item is already disputed")]
    AlreadyDisputed(Box<Dispute>),
    /// The item names no organisation, so no case can be routed.
    #[error("no organisation is known for this item, so it cannot be reported")]
    Unroutable,
    /// The case cannot take this answer (it is closed).
    #[error(transparent)]
    CaseRefused(DisputeError),
    /// Another answer changed the case first; read it again.
    #[error("the case changed while it was being answered; read it again")]
    CaseChanged,
    /// The log has no signed checkpoint: no signing key is configured, or
    /// nothing was stored yet.
    #[error("the log has no signed checkpoint yet")]
    NoCheckpoint,
    /// A failure of ours the caller cannot fix.
    #[error("internal error: {0}")]
    Internal(String),
}
