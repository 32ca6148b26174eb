//! What a case is about: one login event or one access record of the citizen.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// The store's opaque key of one login event of one citizen (unique per
/// citizen, meaningless without the citizen, and derived from nothing a
/// reader could reverse).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoginKey(Vec<u8>);

impl LoginKey {
    /// The longest key accepted, in bytes: keys are digests.
    pub const MAX_LEN: usize = 64;

    /// Wraps a key the store made.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The reference to a disputable item as it travels in URLs and forms:
/// `login.<key in base64url>` or `access.<record id>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    /// A login event.
    Login(LoginKey),
    /// An access record, by its id.
    Access(Uuid),
}

/// A string that refers to no item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be an item reference from the history (login.… or access.…)")]
pub struct ItemRefError;

impl ItemRef {
    /// Parses the text form.
    pub fn parse(raw: &str) -> Result<Self, ItemRefError> {
        match raw.split_once('.') {
            Some(("login", key)) => {
                let bytes = URL_SAFE_NO_PAD.decode(key).map_err(|_| ItemRefError)?;
                if bytes.is_empty() || bytes.len() > LoginKey::MAX_LEN {
                    return Err(ItemRefError);
                }
                Ok(Self::Login(LoginKey(bytes)))
            }
            // The hyphenated form only: the one the history shows.
            Some(("access", id)) if id.len() == 36 => Uuid::try_parse(id)
                .map(Self::Access)
                .map_err(|_| ItemRefError),
            _ => Err(ItemRefError),
        }
    }

    /// Which kind of item.
    pub fn kind(&self) -> ItemKind {
        match self {
            Self::Login(_) => ItemKind::Login,
            Self::Access(_) => ItemKind::Access,
        }
    }

    /// The key bytes a store keeps (the login key, or the record id's 16 bytes).
    pub fn key_bytes(&self) -> Vec<u8> {
        match self {
            Self::Login(k) => k.0.clone(),
            Self::Access(id) => id.as_bytes().to_vec(),
        }
    }

    /// The inverse of [`Self::kind`] and [`Self::key_bytes`], for stores.
    pub fn from_parts(kind: ItemKind, key: Vec<u8>) -> Option<Self> {
        match kind {
            ItemKind::Login => Some(Self::Login(LoginKey(key))),
            ItemKind::Access => Uuid::from_slice(&key).ok().map(Self::Access),
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Login(k) => write!(f, "login.{}", URL_SAFE_NO_PAD.encode(&k.0)),
            Self::Access(id) => write!(f, "access.{id}"),
        }
    }
}

/// The two kinds of disputable items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A login with the citizen's eID.
    Login,
    /// A look-up in the citizen's data.
    Access,
}

impl ItemKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Access => "access",
        }
    }

    /// The inverse of [`Self::as_str`].
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Login, Self::Access]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}
