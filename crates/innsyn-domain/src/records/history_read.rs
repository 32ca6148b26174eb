//! A read of a citizen's history, as a record of that citizen's own access
//! history: who read it, when, which history, on what grounds, how many rows.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::access_record::{AccessRecord, AccessRecordInput};
use super::history::AccessPage;
use crate::catalog::ResourceEntry;
use crate::decision::Decision;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::policy::AccessHistoryGrant;
use crate::query::{AccessHistoryQuery, ResourceFilter};
use crate::subject::SubjectId;

/// The resource of a seed-1 read.
pub const LOGIN_HISTORY_RESOURCE: &str = "innsyn:login-history";
/// The resource of a seed-2 read.
pub const ACCESS_HISTORY_RESOURCE: &str = "innsyn:access-history";
/// The URN registered with [`LOGIN_HISTORY_RESOURCE`].
pub const LOGIN_HISTORY_URN: &str = "urn:innsyn:resource:login-history";
/// The URN registered with [`ACCESS_HISTORY_RESOURCE`].
pub const ACCESS_HISTORY_URN: &str = "urn:innsyn:resource:access-history";
/// The action of every read.
pub const READ_ACTION: &str = "read";
/// The client id recorded when the token named none (clientId is required).
pub const UNKNOWN_CLIENT: &str = "(unknown client)";

/// Which history was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryKind {
    /// Seed 1, the login history.
    Login,
    /// Seed 2, the access history.
    Access,
}

impl HistoryKind {
    fn resource(self) -> (&'static str, &'static str) {
        match self {
            HistoryKind::Login => (LOGIN_HISTORY_RESOURCE, LOGIN_HISTORY_URN),
            HistoryKind::Access => (ACCESS_HISTORY_RESOURCE, ACCESS_HISTORY_URN),
        }
    }
}

/// On what grounds the history was read: the record's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPurpose {
    /// With the citizen's own token (themself, or a service acting for them).
    Innsyn,
    /// By an auditor (`history:audit`).
    Audit,
}

impl ReadPurpose {
    /// The purpose as stored and filtered (`purpose=innsyn`, `purpose=audit`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadPurpose::Innsyn => "innsyn",
            ReadPurpose::Audit => "audit",
        }
    }
}

impl From<AccessHistoryGrant> for ReadPurpose {
    fn from(grant: AccessHistoryGrant) -> Self {
        match grant {
            AccessHistoryGrant::Owner => ReadPurpose::Innsyn,
            AccessHistoryGrant::Audit => ReadPurpose::Audit,
        }
    }
}

/// Who read: the caller's client, its application (from the catalog) and
/// organisation, each when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reader {
    /// The token's client id.
    pub client_id: Option<String>,
    /// The client's application in the catalog.
    pub application: Option<String>,
    /// The token's organisation, else the catalog's for the client.
    pub orgno: Option<OrgNumber>,
}

/// One successful read of `owner`'s history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRead {
    /// Made once per read by the caller (a UUID v4): a retried write of
    /// the same read is a duplicate, two reads never share one.
    pub id: Uuid,
    /// When it was answered.
    pub at: OffsetDateTime,
    /// Whose history.
    pub owner: SubjectId,
    /// Which history.
    pub kind: HistoryKind,
    /// On what grounds.
    pub purpose: ReadPurpose,
    /// Who.
    pub reader: Reader,
    /// Rows returned. Not stored yet: the access record has no field for
    /// it (a column and a content-hash version are needed first).
    pub rows: usize,
}

impl HistoryRead {
    /// The access record of this read as ingestion would receive it. The
    /// application falls back to the client id when the catalog does not
    /// know the client, so the citizen always sees who it was.
    pub fn to_input(&self) -> AccessRecordInput {
        let (resource, urn) = self.kind.resource();
        let client_id = self
            .reader
            .client_id
            .clone()
            .unwrap_or_else(|| UNKNOWN_CLIENT.to_owned());
        AccessRecordInput {
            id: self.id.to_string(),
            timestamp: self.at.format(&Rfc3339).unwrap_or_default(),
            user_id: self.owner.expose().to_owned(),
            application: self
                .reader
                .application
                .clone()
                .unwrap_or_else(|| client_id.clone()),
            client_id,
            resource: resource.to_owned(),
            resource_urn: Some(urn.to_owned()),
            action: READ_ACTION.to_owned(),
            purpose: self.purpose.as_str().to_owned(),
            decision: Decision::Permit.as_str().to_owned(),
            orgno: self.reader.orgno.as_ref().map(|o| o.as_str().to_owned()),
        }
    }

    /// The validated access record of this read (ingestion's rules, so a
    /// client id no producer could send is refused here too).
    ///
    /// # Errors
    /// The fields that break a rule, by name.
    pub fn to_record(&self) -> Result<AccessRecord, InvalidParams> {
        AccessRecord::from_input(self.to_input())
    }
}

/// The resources of the records of reads, as the catalog holds them.
pub fn read_resources() -> [ResourceEntry; 2] {
    [HistoryKind::Login, HistoryKind::Access].map(|kind| {
        let (name, urn) = kind.resource();
        ResourceEntry {
            name: name.to_owned(),
            urn: Some(urn.to_owned()),
        }
    })
}

/// Whether a resource (name or URN) is one of the records of reads.
pub fn is_read_resource(value: &str) -> bool {
    [
        LOGIN_HISTORY_RESOURCE,
        ACCESS_HISTORY_RESOURCE,
        LOGIN_HISTORY_URN,
        ACCESS_HISTORY_URN,
    ]
    .contains(&value)
}

/// Whether a seed-2 query filters on one of the resources of reads (which
/// must then be in the catalog, where a filter is always checked).
pub fn filters_on_reads(query: &AccessHistoryQuery) -> bool {
    match &query.filter.resource {
        Some(ResourceFilter::Name(v) | ResourceFilter::Urn(v)) => is_read_resource(v),
        None => false,
    }
}

/// The no-loop rule: whether a seed-2 read is recorded. An auditor's
/// always is: that someone looked is the citizen's business whatever the
/// page held. A read with the citizen's own token is not when all it could
/// show is records of reads — its `resource` filter names one, or its page
/// is not empty and holds nothing else — so looking at who read one's
/// history never adds to it; any other is, an empty page included (the
/// reader still looked).
pub fn records_access_read(
    purpose: ReadPurpose,
    query: &AccessHistoryQuery,
    page: &AccessPage,
) -> bool {
    if purpose == ReadPurpose::Audit {
        return true;
    }
    let only_reads =
        !page.entries.is_empty() && page.entries.iter().all(|e| is_read_resource(&e.resource));
    !(filters_on_reads(query) || only_reads)
}
