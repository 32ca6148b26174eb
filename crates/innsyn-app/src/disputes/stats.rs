//! Cases opened, answered and closed per organisation, for `/metrics`.
//! Organisations are bounded by the catalog, so the labels are too.

use std::collections::BTreeMap;
use std::sync::Mutex;

use innsyn_domain::OrgNumber;
use innsyn_domain::disputes::DisputeStatus;

/// What happened to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseEvent {
    /// A citizen opened it.
    Opened,
    /// The organisation answered and left it open for more.
    Answered,
    /// The organisation closed it.
    Closed,
}

impl CaseEvent {
    /// The metric label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    pub(crate) fn of_answer(status: DisputeStatus) -> Self {
        if status == DisputeStatus::Closed {
            Self::Closed
        } else {
            Self::Answered
        }
    }
}

/// Counts per organisation since the process started.
#[derive(Debug, Default)]
pub(crate) struct DisputeCounters(Mutex<BTreeMap<OrgNumber, [u64; 3]>>);

impl DisputeCounters {
    pub(crate) fn count(&self, org: &OrgNumber, event: CaseEvent) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let slot = match event {
            CaseEvent::Opened => 0,
            CaseEvent::Answered => 1,
            CaseEvent::Closed => 2,
        };
        map.entry(org.clone()).or_default()[slot] += 1;
    }

    /// `(organisation, event, count)` for every organisation seen.
    pub(crate) fn snapshot(&self) -> Vec<(OrgNumber, CaseEvent, u64)> {
        let map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.iter()
            .flat_map(|(org, n)| {
                [CaseEvent::Opened, CaseEvent::Answered, CaseEvent::Closed]
                    .into_iter()
                    .zip(n)
                    .map(move |(e, n)| (org.clone(), e, *n))
            })
            .collect()
    }
}
