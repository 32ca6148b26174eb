//! Server-side sessions: the browser holds only an opaque random id.
//!
//! Sessions and logins in progress are kept in the store (through the use
//! cases), sealed under that id, so a restart keeps them and every instance
//! behind a load balancer shares them. A session expires after
//! `session_ttl_secs` without use (sliding) and, whatever its use, after
//! `session_max_secs` (absolute), so a stolen cookie is worth little for long.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_app::Service;
use innsyn_domain::SubjectId;
use innsyn_ports::{PageSecret, PageSecretKind, PendingLogin};
use rand::RngCore as _;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Duration;

/// 256 bits from the OS generator, URL-safe text.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares two secrets without stopping at the first difference.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

/// Where the page keeps what it must remember between requests: in the
/// store, through the use cases, so a restart keeps it and every instance
/// sees it. Each secret is sealed under the browser's random id: the store
/// gets a lookup key and a ciphertext derived from that id (ChaCha20-Poly1305
/// under a key only the id gives), never the id itself, the subject or a
/// token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageSecrets {
    /// A session ends this long after its last use…
    pub(crate) idle: Duration,
    /// …and this long after the login, however it is used.
    pub(crate) cap: Duration,
    /// A login in progress ends this long after it started.
    pub(crate) pending: Duration,
}

/// Why a session or login could not be kept or read: the store failed.
pub(crate) type Unavailable = innsyn_app::AppError;

impl PageSecrets {
    /// Keeps a new session and returns its id (for the cookie).
    pub(crate) async fn start_session(
        &self,
        service: &Service,
        session: &Session,
    ) -> Result<String, Unavailable> {
        let body = SessionBody {
            subject: session.subject.expose().to_owned(),
            csrf: session.csrf.clone(),
            id_token: session.id_token.clone(),
        };
        self.keep(service, PageSecretKind::Session, &body, self.idle, self.cap)
            .await
    }

    /// The session behind `id`, unless unknown or expired; using it moves
    /// its idle end.
    pub(crate) async fn session(
        &self,
        service: &Service,
        id: &str,
    ) -> Result<Option<Session>, Unavailable> {
        let sealed = service
            .use_page_secret(PageSecretKind::Session, lookup_key(id), self.idle)
            .await?;
        Ok(sealed
            .and_then(|s| open::<SessionBody>(id, &s))
            .and_then(|b| {
                Some(Session {
                    subject: SubjectId::parse(&b.subject).ok()?,
                    csrf: b.csrf,
                    id_token: b.id_token,
                })
            }))
    }

    /// Forgets the session behind `id`.
    pub(crate) async fn end_session(&self, service: &Service, id: &str) -> Result<(), Unavailable> {
        service
            .forget_page_secret(PageSecretKind::Session, lookup_key(id))
            .await
    }

    /// Keeps a login in progress and returns its id (for the cookie).
    pub(crate) async fn start_login(
        &self,
        service: &Service,
        pending: &PendingLogin,
        return_to: Option<String>,
    ) -> Result<String, Unavailable> {
        let body = PendingBody {
            state: pending.state.clone(),
            nonce: pending.nonce.clone(),
            pkce_verifier: pending.pkce_verifier.clone(),
            return_to,
        };
        self.keep(
            service,
            PageSecretKind::PendingLogin,
            &body,
            self.pending,
            self.pending,
        )
        .await
    }

    /// The login in progress behind `id`, once, and where to go after it.
    pub(crate) async fn take_login(
        &self,
        service: &Service,
        id: &str,
    ) -> Result<Option<(PendingLogin, Option<String>)>, Unavailable> {
        let sealed = service
            .take_page_secret(PageSecretKind::PendingLogin, lookup_key(id))
            .await?;
        Ok(sealed.and_then(|s| open::<PendingBody>(id, &s)).map(|b| {
            (
                PendingLogin {
                    state: b.state,
                    nonce: b.nonce,
                    pkce_verifier: b.pkce_verifier,
                },
                b.return_to,
            )
        }))
    }

    async fn keep<B: Serialize>(
        &self,
        service: &Service,
        kind: PageSecretKind,
        body: &B,
        idle: Duration,
        cap: Duration,
    ) -> Result<String, Unavailable> {
        let id = random_token();
        let now = service.now();
        let plain = serde_json::to_vec(body).unwrap_or_default();
        service
            .keep_page_secret(PageSecret {
                kind,
                key: lookup_key(&id),
                sealed: seal(&id, &plain),
                cap_at: now + cap,
                expires_at: now + idle,
            })
            .await?;
        Ok(id)
    }
}

#[derive(Serialize, Deserialize)]
struct SessionBody {
    subject: String,
    csrf: String,
    id_token: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct PendingBody {
    state: String,
    nonce: String,
    pkce_verifier: String,
    return_to: Option<String>,
}

/// What the store finds a secret by: not the id, so its rows and query
/// logs cannot be turned into a cookie.
fn lookup_key(id: &str) -> Vec<u8> {
    derived(b"innsyn page secret lookup v1", id).to_vec()
}

fn derived(purpose: &[u8], id: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(purpose);
    h.update([0]);
    h.update(id.as_bytes());
    h.finalize().into()
}

fn sealing_key(id: &str) -> Option<LessSafeKey> {
    let key = UnboundKey::new(
        &CHACHA20_POLY1305,
        &derived(b"innsyn page secret seal v1", id),
    )
    .ok()?;
    Some(LessSafeKey::new(key))
}

/// A random nonce, then the ciphertext and its tag. Every id has a key of
/// its own and seals once, so a random nonce never repeats under a key.
fn seal(id: &str, plain: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let mut out = plain.to_vec();
    match sealing_key(id) {
        Some(key) => {
            if key
                .seal_in_place_append_tag(
                    Nonce::assume_unique_for_key(nonce),
                    Aad::empty(),
                    &mut out,
                )
                .is_err()
            {
                return Vec::new();
            }
        }
        None => return Vec::new(),
    }
    [nonce.as_slice(), &out].concat()
}

/// The content, unless the bytes were not sealed under this id (or were
/// altered): then nothing, as for an unknown id.
fn open<B: for<'de> Deserialize<'de>>(id: &str, sealed: &[u8]) -> Option<B> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, rest) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buf = rest.to_vec();
    let plain = sealing_key(id)?
        .open_in_place(nonce, Aad::empty(), &mut buf)
        .ok()?;
    serde_json::from_slice(plain).ok()
}

/// A logged-in citizen.
#[derive(Clone)]
pub(crate) struct Session {
    /// Whose history the page shows: only ever taken from a verified ID
    /// token or the dev picker.
    pub(crate) subject: SubjectId,
    /// Guards the logout form against cross-site posts.
    pub(crate) csrf: String,
    /// The raw ID token, for `id_token_hint` at the provider's logout.
    pub(crate) id_token: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, random_token());
    }

    #[test]
    fn a_secret_opens_only_under_its_own_id() {
        let id = random_token();
        let sealed = seal(
            &id,
            br#"{"state":"s","nonce":"n","pkce_verifier":"v","return_to":null}"#,
        );
        let body: PendingBody = open(&id, &sealed).unwrap();
        assert_eq!(body.state, "s");
        assert!(open::<PendingBody>(&random_token(), &sealed).is_none());
        let mut altered = sealed.clone();
        if let Some(last) = altered.last_mut() {
            *last ^= 1;
        }
        assert!(open::<PendingBody>(&id, &altered).is_none());
        assert!(open::<PendingBody>(&id, b"short").is_none());
        assert!(
            !sealed.windows(5).any(|w| w == b"nonce"),
            "sealed, not plain"
        );
        assert_ne!(lookup_key(&id), id.as_bytes());
        assert_eq!(lookup_key(&id), lookup_key(&id));
    }

    #[test]
    fn secrets_compare_by_value() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
    }

    #[test]
    fn debug_never_shows_the_subject_or_tokens() {
        let s = Session {
            subject: SubjectId::parse("12345678901").unwrap(),
            csrf: "csrf-secret".into(),
            id_token: Some("eyJ.secret.token".into()),
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("12345678901"));
        assert!(!printed.contains("secret"));
    }
}
