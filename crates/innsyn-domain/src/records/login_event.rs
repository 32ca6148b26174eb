//! A login event: who logged in, when, to which service, with which eID.

use time::OffsetDateTime;

use super::activity::{ActivityRecord, Party};
use super::fields::{orgno, required_text, text};
use super::horizon::Horizon;
use crate::catalog::ClientEntry;
use crate::identity::IdentityNumber;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::subject::SubjectId;

/// A validated login event.
///
/// `event_actor_id` and `extra_data` (except `extra_data.event_id`) are not
/// kept: the read APIs do not show them and they may hold further personal
/// data (data minimisation, GDPR art. 5(1)(c)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginEvent {
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// Who logged in.
    pub subject: SubjectId,
    /// ID-porten's event name, e.g. `Innlogget`.
    pub event_name: String,
    /// Free text from the producer.
    pub description: Option<String>,
    /// The client (integration) the login was for.
    pub service_provider: Party,
    /// The organisation owning the service, when it differs from the client's.
    pub service_owner: Party,
    /// The eID, e.g. `MinID`, `BankID`.
    pub eid: Option<String>,
    /// The method, e.g. `PIN`.
    pub method: Option<String>,
    /// ID-porten's correlation id.
    pub correlation_id: Option<String>,
    /// The producing application and its environment.
    pub application: Option<(String, Option<String>)>,
    /// The producer's own event id (`extra_data.event_id`), the idempotency
    /// key when given.
    pub event_id: Option<String>,
}

impl LoginEvent {
    /// Validates one activity record, without a limit on how far in the
    /// future it may lie (see [`Self::from_activity_at`]). Errors name the
    /// record's fields.
    pub fn from_activity(r: ActivityRecord) -> Result<Self, InvalidParams> {
        Self::from_activity_at(r, &Horizon::unbounded())
    }

    /// Validates one activity record as ingestion does: `event_created`
    /// must not lie past `horizon`, and `event_subject_pid` must be a
    /// national identity number. Errors name the record's fields.
    pub fn from_activity_at(r: ActivityRecord, horizon: &Horizon) -> Result<Self, InvalidParams> {
        let mut e = InvalidParams::new();
        let event_name = required_text(&mut e, "event_name", r.event_name);
        let occurred_at = e
            .check(
                "event_created",
                i128::from(r.event_created)
                    .checked_mul(1_000_000)
                    .and_then(|n| OffsetDateTime::from_unix_timestamp_nanos(n).ok())
                    .filter(|t| t.year() >= 1970 && t.year() <= 9999)
                    .ok_or("must be epoch milliseconds between 1970 and 9999"),
            )
            .and_then(|t| e.check("event_created", horizon.check(t)).map(|()| t));
        let subject = match r.event_subject_pid.as_deref() {
            None | Some("") => {
                e.push("event_subject_pid", "is required for a login event");
                None
            }
            Some(pid) => e
                .check("event_subject_pid", IdentityNumber::parse(pid))
                .map(SubjectId::from),
        };
        let service_provider = Party {
            id: text(&mut e, "service_provider_id", r.service_provider_id),
            orgno: orgno(&mut e, "service_provider_orgno", r.service_provider_orgno),
            name: text(&mut e, "service_provider_name", r.service_provider_name),
        };
        let service_owner = Party {
            id: text(&mut e, "service_owner_id", r.service_owner_id),
            orgno: orgno(&mut e, "service_owner_orgno", r.service_owner_orgno),
            name: text(&mut e, "service_owner_name", r.service_owner_name),
        };
        let description = text(&mut e, "event_description", r.event_description);
        let eid = text(&mut e, "auth_eid", r.auth_eid);
        let method = text(&mut e, "auth_method", r.auth_method);
        let correlation_id = text(&mut e, "correlation_id", r.correlation_id);
        let application_name = text(&mut e, "application_name", r.application_name);
        let application_environment =
            text(&mut e, "application_environment", r.application_environment);
        let event_id = text(
            &mut e,
            "extra_data.event_id",
            r.extra_data.and_then(|mut m| m.remove("event_id")),
        );
        e.finish(|| {
            Some(Self {
                occurred_at: occurred_at?,
                subject: subject?,
                event_name: event_name?,
                description,
                service_provider,
                service_owner,
                eid,
                method,
                correlation_id,
                application: application_name.map(|n| (n, application_environment)),
                event_id,
            })
        })
    }

    /// The client id shown as `integrasjon_id`.
    pub fn client_id(&self) -> Option<&str> {
        self.service_provider.id.as_deref()
    }

    /// The organisation the service belongs to: its owner, else the client's
    /// organisation. Seed 1 shows an event to this organisation only.
    pub fn service_orgno(&self) -> Option<&OrgNumber> {
        self.service_owner
            .orgno
            .as_ref()
            .or(self.service_provider.orgno.as_ref())
    }

    /// The service name shown as `tjeneste`: the owner's name, else the client's.
    pub fn service_name(&self) -> Option<&str> {
        self.service_owner
            .name
            .as_deref()
            .or(self.service_provider.name.as_deref())
    }

    /// The catalog entry this event implies for its client, `None` without
    /// a client id. The application is the client's own name, else its
    /// owner's, else the client id, since the catalog needs a name and the
    /// client's is the most specific; the organisation is
    /// [`Self::service_orgno`], so that later events without one are
    /// attributed to the same organisation.
    pub fn catalog_client(&self) -> Option<ClientEntry> {
        let client_id = self.client_id()?;
        let application = self
            .service_provider
            .name
            .as_deref()
            .or(self.service_owner.name.as_deref())
            .unwrap_or(client_id);
        Some(ClientEntry {
            client_id: client_id.to_owned(),
            application: application.to_owned(),
            orgno: self.service_orgno().cloned(),
        })
    }
}
