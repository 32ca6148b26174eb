//! The content key of a login event, for idempotent ingestion.

use super::login_event::LoginEvent;
use crate::orgno::OrgNumber;

impl LoginEvent {
    /// Every field that identifies this event's content, length-prefixed so
    /// no two different events share it. With the subject (hashed by the
    /// store) it forms the idempotency key when no `event_id` is given.
    pub fn content_fingerprint(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let mut put = |field: Option<&str>| match field {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                out.extend_from_slice(&(v.len() as u64).to_be_bytes());
                out.extend_from_slice(v.as_bytes());
            }
        };
        if let Some(id) = &self.event_id {
            put(Some("event_id"));
            put(Some(id));
            return out;
        }
        let nanos = self.occurred_at.unix_timestamp_nanos().to_string();
        for field in [
            Some(nanos.as_str()),
            Some(self.event_name.as_str()),
            self.description.as_deref(),
            self.service_provider.id.as_deref(),
            self.service_provider.orgno.as_ref().map(OrgNumber::as_str),
            self.service_provider.name.as_deref(),
            self.service_owner.id.as_deref(),
            self.service_owner.orgno.as_ref().map(OrgNumber::as_str),
            self.service_owner.name.as_deref(),
            self.eid.as_deref(),
            self.method.as_deref(),
            self.correlation_id.as_deref(),
        ] {
            put(field);
        }
        out
    }
}
