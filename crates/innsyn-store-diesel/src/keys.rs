//! Keyed hashes that stand in for identity numbers and login-event content.

use hmac::{Hmac, Mac};
use innsyn_domain::{LoginEvent, SubjectId};
use sha2::Sha256;

use crate::StoreError;

type HmacSha256 = Hmac<Sha256>;

/// Derives the stored keys from the configured secret.
#[derive(Clone)]
pub(crate) struct Keyer {
    mac: HmacSha256,
    key_id: String,
}

impl Keyer {
    pub(crate) fn new(secret: &[u8], key_id: &str) -> Result<Self, StoreError> {
        // HMAC accepts keys of any length; the error type is the trait's.
        let mac = HmacSha256::new_from_slice(secret)
            .map_err(|_| StoreError::Internal("the subject key secret is unusable".into()))?;
        Ok(Self {
            mac,
            key_id: key_id.to_owned(),
        })
    }

    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Domain-separated HMAC of length-prefixed parts, so that no two
    /// different inputs (or purposes) share a key.
    fn hmac(&self, purpose: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(purpose);
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// The stored stand-in for a subject: HMAC-SHA256(secret, subject).
    pub(crate) fn subject_key(&self, subject: &SubjectId) -> Vec<u8> {
        self.hmac(b"innsyn/subject/v1", &[subject.expose().as_bytes()])
    }

    /// The idempotency key of a login event: over the producer's
    /// `event_id` when given, else over its whole content; always with the
    /// subject, so equal content of two citizens never collides.
    pub(crate) fn login_dedup_key(&self, event: &LoginEvent) -> Vec<u8> {
        self.hmac(
            b"innsyn/login-event/v1",
            &[
                event.subject.expose().as_bytes(),
                &event.content_fingerprint(),
            ],
        )
    }
}

/// What tells an identical re-send of an access record from a changed one:
/// SHA-256 over a purpose tag, the owner key, the time in microseconds
/// (8 bytes, big-endian) and each stored text length-prefixed (4 bytes,
/// big-endian; a missing value is the length -1), in the order
/// application, client id, resource, resource URN, action, purpose,
/// decision, organisation number. The PostgreSQL migration
/// `2026-12-02-000000_flat_tables` computes the same bytes in SQL for the
/// records stored before it. Not keyed: the owner key already is.
pub(crate) fn access_content_hash(
    owner_key: &[u8],
    occurred_us: i64,
    texts: [Option<&str>; 8],
) -> Vec<u8> {
    use sha2::Digest;
    let mut h = Sha256::new();
    h.update(b"innsyn/access-record/v1");
    h.update(owner_key);
    h.update(occurred_us.to_be_bytes());
    for t in texts {
        match t {
            None => h.update((-1i32).to_be_bytes()),
            Some(v) => {
                h.update(u32::try_from(v.len()).unwrap_or(u32::MAX).to_be_bytes());
                h.update(v.as_bytes());
            }
        }
    }
    h.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::identity::{CITIZEN_A, CITIZEN_B};
    use innsyn_domain::records::Party;
    use time::macros::datetime;

    fn event(subject: &str) -> LoginEvent {
        LoginEvent {
            occurred_at: datetime!(2024-05-01 10:00 UTC),
            subject: SubjectId::parse(subject).unwrap(),
            event_name: "Innlogget".into(),
            description: None,
            service_provider: Party {
                id: Some("client".into()),
                orgno: None,
                name: None,
            },
            service_owner: Party::default(),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            correlation_id: None,
            application: None,
            event_id: None,
        }
    }

    #[test]
    fn subject_keys_are_keyed_stable_and_opaque() {
        let k = Keyer::new(b"secret-one-123456", "k1").unwrap();
        let s = SubjectId::parse(CITIZEN_A).unwrap();
        let a = k.subject_key(&s);
        assert_eq!(a.len(), 32);
        assert_eq!(a, k.subject_key(&s));
        assert_ne!(
            a,
            Keyer::new(b"secret-two-123456", "k2")
                .unwrap()
                .subject_key(&s)
        );
        assert_ne!(a, k.subject_key(&SubjectId::parse(CITIZEN_B).unwrap()));
        assert!(!a.windows(11).any(|w| w == CITIZEN_A.as_bytes()));
        // Known answer: HMAC-SHA256 over the purpose tag and the length-prefixed value.
        let mut mac = HmacSha256::new_from_slice(b"secret-one-123456").unwrap();
        mac.update(b"innsyn/subject/v1");
        mac.update(&11u64.to_be_bytes());
        mac.update(CITIZEN_A.as_bytes());
        assert_eq!(a, mac.finalize().into_bytes().to_vec());
    }

    #[test]
    fn dedup_key_follows_content_subject_and_event_id() {
        let k = Keyer::new(b"secret-one-123456", "k1").unwrap();
        let a = event(CITIZEN_A);
        assert_eq!(k.login_dedup_key(&a), k.login_dedup_key(&a.clone()));
        let mut other = a.clone();
        other.method = Some("OTC".into());
        assert_ne!(k.login_dedup_key(&a), k.login_dedup_key(&other));
        assert_ne!(k.login_dedup_key(&a), k.login_dedup_key(&event(CITIZEN_B)));
        // With an event id, content no longer matters.
        let (mut x, mut y) = (a.clone(), other);
        x.event_id = Some("e-1".into());
        y.event_id = Some("e-1".into());
        assert_eq!(k.login_dedup_key(&x), k.login_dedup_key(&y));
        assert_ne!(k.login_dedup_key(&x), k.login_dedup_key(&a));
        // Subject key and dedup key never coincide even for equal inputs.
        assert_ne!(k.login_dedup_key(&a), k.subject_key(&a.subject));
    }

    #[test]
    fn access_content_hash_tells_fields_apart() {
        fn t(urn: Option<&str>) -> [Option<&str>; 8] {
            [
                Some("app"),
                Some("c"),
                Some("r"),
                urn,
                Some("read"),
                Some("p"),
                Some("Permit"),
                None,
            ]
        }
        let a = access_content_hash(&[1; 32], 7, t(None));
        assert_eq!(a.len(), 32);
        assert_eq!(a, access_content_hash(&[1; 32], 7, t(None)));
        assert_ne!(a, access_content_hash(&[1; 32], 7, t(Some(""))));
        assert_ne!(a, access_content_hash(&[1; 32], 8, t(None)));
        assert_ne!(a, access_content_hash(&[2; 32], 7, t(None)));
    }
}
