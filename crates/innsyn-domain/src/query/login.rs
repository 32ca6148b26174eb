//! The login-history query (seed 1 and the citizen's own page).

use time::OffsetDateTime;

use super::page::page_size;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::policy::LoginHistoryAccess;
use crate::subject::SubjectId;
use crate::timespec::TimeWindow;

/// A citizen's login history: seed 1 (one organisation's services, newest
/// `max_hits`) or the citizen's own page (every service, a period, paging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHistoryQuery {
    /// The citizen, always taken from the access token or login session.
    pub subject: SubjectId,
    /// Only services of this organisation; `None` for the citizen's own view.
    pub orgno: Option<OrgNumber>,
    /// Only events in `[start, end)`; `None` for all time.
    pub window: Option<TimeWindow>,
    /// Only events of this client (service); `None` for all.
    pub client_id: Option<String>,
    /// Events to skip, newest first.
    pub start_index: u64,
    /// At most this many events, newest first.
    pub max_hits: u16,
}

impl LoginHistoryQuery {
    /// Builds the seed-1 query for an authorized caller from the raw `maxhits`.
    pub fn build(
        access: LoginHistoryAccess,
        max_hits: Option<&str>,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let max_hits = errors.check("maxhits", page_size(max_hits));
        errors.finish(|| {
            Some(Self {
                subject: access.subject,
                orgno: Some(access.orgno),
                window: None,
                client_id: None,
                start_index: 0,
                max_hits: max_hits?,
            })
        })
    }

    /// Whether a stored event with this time, organisation and client is selected.
    pub fn selects(
        &self,
        occurred_at: OffsetDateTime,
        orgno: Option<&OrgNumber>,
        client_id: Option<&str>,
    ) -> bool {
        self.orgno.as_ref().is_none_or(|want| orgno == Some(want))
            && self.window.is_none_or(|w| w.contains(occurred_at))
            && self
                .client_id
                .as_deref()
                .is_none_or(|want| client_id == Some(want))
    }
}
