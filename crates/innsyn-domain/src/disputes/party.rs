//! Who may see a case: its citizen and the organisation it is routed to.

use crate::orgno::OrgNumber;
use crate::subject::SubjectId;

/// The two parties of a case; every read of cases is scoped to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeParty {
    /// The citizen who opened it (the subject of the disputed item).
    Citizen(SubjectId),
    /// The organisation the case is routed to.
    Organisation(OrgNumber),
}

impl DisputeParty {
    /// Whether this party may see a case opened by `citizen` and routed to
    /// `organisation`: nobody else may, not even to learn that it exists.
    pub fn may_see(&self, citizen: &SubjectId, organisation: &OrgNumber) -> bool {
        match self {
            Self::Citizen(s) => s == citizen,
            Self::Organisation(o) => o == organisation,
        }
    }
}
