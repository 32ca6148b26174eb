//! What a leaf of innsyn's log commits to: a canonical encoding of one
//! stored record, the same bytes at ingestion (the store) and on the
//! citizen's machine (`innsyn verify`, from the export's fields).
//!
//! The encoding (docs/api.md, "The log"): the tag `innsyn/log-entry/v1\n`,
//! one byte for the kind (`L` a login event, `A` an access record), then
//! the fields in a fixed order, each as a 4-byte big-endian length and its
//! bytes, an absent field as length `0xFFFFFFFF`; times as 8 bytes,
//! big-endian microseconds since 1970 UTC. Length prefixes make every
//! record one byte string and no two records the same one. The subject is
//! only its keyed hash, never the identity number.

use crate::hash::{Hash, leaf_hash};

const TAG: &[u8] = b"innsyn/log-entry/v1\n";

/// A login event as stored and as its citizen exports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginEntry<'a> {
    /// The subject's keyed hash.
    pub subject_key: &'a [u8],
    /// The store's key of the event (unique per subject).
    pub key: &'a [u8],
    /// When, in microseconds since 1970 UTC.
    pub occurred_at_us: i64,
    /// `tjeneste`.
    pub service_name: Option<&'a str>,
    /// The eID.
    pub eid: Option<&'a str>,
    /// The eID's method.
    pub method: Option<&'a str>,
    /// `integrasjon_id`.
    pub client_id: Option<&'a str>,
    /// The organisation the event is shown to.
    pub orgno: Option<&'a str>,
}

/// An access record as stored and as its owner exports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessEntry<'a> {
    /// The owner's keyed hash.
    pub subject_key: &'a [u8],
    /// The record's id (16 bytes).
    pub id: &'a [u8],
    /// When, in microseconds since 1970 UTC.
    pub occurred_at_us: i64,
    /// The application.
    pub application: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The resource.
    pub resource: &'a str,
    /// The resource's URN.
    pub resource_urn: Option<&'a str>,
    /// The action.
    pub action: &'a str,
    /// The purpose.
    pub purpose: &'a str,
    /// The XACML decision's canonical name.
    pub decision: &'a str,
    /// The accessing organisation.
    pub orgno: Option<&'a str>,
}

struct Encoder(Vec<u8>);

impl Encoder {
    fn new(kind: u8) -> Self {
        let mut out = Vec::with_capacity(160);
        out.extend_from_slice(TAG);
        out.push(kind);
        Self(out)
    }

    fn bytes(mut self, v: Option<&[u8]>) -> Self {
        match v {
            // Stored fields are far below 4 GiB; a longer one would be cut
            // by the database before it reached here.
            Some(b) => {
                let len = u32::try_from(b.len()).unwrap_or(u32::MAX - 1);
                self.0.extend_from_slice(&len.to_be_bytes());
                self.0.extend_from_slice(b);
            }
            None => self.0.extend_from_slice(&u32::MAX.to_be_bytes()),
        }
        self
    }

    fn text(self, v: Option<&str>) -> Self {
        self.bytes(v.map(str::as_bytes))
    }

    fn time(mut self, us: i64) -> Self {
        self.0.extend_from_slice(&us.to_be_bytes());
        self
    }
}

impl LoginEntry<'_> {
    /// The canonical bytes.
    pub fn encode(&self) -> Vec<u8> {
        Encoder::new(b'L')
            .bytes(Some(self.subject_key))
            .bytes(Some(self.key))
            .time(self.occurred_at_us)
            .text(self.service_name)
            .text(self.eid)
            .text(self.method)
            .text(self.client_id)
            .text(self.orgno)
            .0
    }

    /// The RFC 9162 leaf hash of [`Self::encode`].
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.encode())
    }
}

impl AccessEntry<'_> {
    /// The canonical bytes.
    pub fn encode(&self) -> Vec<u8> {
        Encoder::new(b'A')
            .bytes(Some(self.subject_key))
            .bytes(Some(self.id))
            .time(self.occurred_at_us)
            .text(Some(self.application))
            .text(Some(self.client_id))
            .text(Some(self.resource))
            .text(self.resource_urn)
            .text(Some(self.action))
            .text(Some(self.purpose))
            .text(Some(self.decision))
            .text(self.orgno)
            .0
    }

    /// The RFC 9162 leaf hash of [`Self::encode`].
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login() -> LoginEntry<'static> {
        LoginEntry {
            subject_key: b"sk",
            key: b"k1",
            occurred_at_us: 1_551_949_200_000_000,
            service_name: Some("Altinn"),
            eid: Some("MinID"),
            method: None,
            client_id: Some("svc"),
            orgno: Some("991825827"),
        }
    }

    #[test]
    fn a_login_entry_is_pinned_byte_for_byte() {
        let mut want = b"innsyn/log-entry/v1\nL".to_vec();
        for field in [&b"sk"[..], b"k1"] {
            want.extend_from_slice(&(field.len() as u32).to_be_bytes());
            want.extend_from_slice(field);
        }
        want.extend_from_slice(&1_551_949_200_000_000_i64.to_be_bytes());
        for field in [
            Some("Altinn"),
            Some("MinID"),
            None,
            Some("svc"),
            Some("991825827"),
        ] {
            match field {
                Some(f) => {
                    want.extend_from_slice(&(f.len() as u32).to_be_bytes());
                    want.extend_from_slice(f.as_bytes());
                }
                None => want.extend_from_slice(&[0xff; 4]),
            }
        }
        assert_eq!(login().encode(), want);
    }

    #[test]
    fn absent_and_empty_fields_and_field_boundaries_differ() {
        let base = login();
        let empty = LoginEntry {
            method: Some(""),
            ..base
        };
        let shifted = LoginEntry {
            service_name: Some("AltinnM"),
            eid: Some("inID"),
            ..base
        };
        let later = LoginEntry {
            occurred_at_us: base.occurred_at_us + 1,
            ..base
        };
        let hashes = [base, empty, shifted, later].map(|e| e.leaf_hash());
        for (i, a) in hashes.iter().enumerate() {
            for b in &hashes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn a_login_and_an_access_record_never_share_bytes() {
        let access = AccessEntry {
            subject_key: b"sk",
            id: b"k1",
            occurred_at_us: 1_551_949_200_000_000,
            application: "Altinn",
            client_id: "MinID",
            resource: "r",
            resource_urn: None,
            action: "read",
            purpose: "p",
            decision: "Permit",
            orgno: None,
        };
        assert_ne!(access.encode()[..21], login().encode()[..21]);
    }
}
