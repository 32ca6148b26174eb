//! A case and the rules of its life: who opens it, who answers, which
//! status may follow which.

use time::OffsetDateTime;
use uuid::Uuid;

use super::details::DisputedItem;
use super::text::PlainText;
use crate::orgno::OrgNumber;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DisputeStatus {
    /// Reported by the citizen, not yet answered.
    Open,
    /// The organisation answered; it may answer again or close.
    Answered,
    /// Done; nothing follows, and the item is no longer held from deletion.
    Closed,
}

impl DisputeStatus {
    /// Every status, in the order a case goes through them.
    pub const ALL: [Self; 3] = [Self::Open, Self::Answered, Self::Closed];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    /// The inverse of [`Self::as_str`] (exact, lower case).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether an answer may move a case from `self` to `next`: open or
    /// answered cases may be answered (again) or closed; a closed case
    /// stays closed, and no case goes back to open.
    pub fn may_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Open | Self::Answered, Self::Answered | Self::Closed)
        )
    }

    /// Whether the disputed item is held from retention: until the case is
    /// closed, the evidence stays.
    pub fn holds_item(self) -> bool {
        self != Self::Closed
    }
}

/// A citizen's report that they do not recognise a login or a look-up,
/// routed to the organisation that answers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    /// The case id: random, so it says nothing and cannot be guessed.
    pub id: Uuid,
    /// The disputed item.
    pub item: DisputedItem,
    /// The organisation the case is routed to.
    pub organisation: OrgNumber,
    /// What the citizen wrote, if anything.
    pub message: Option<PlainText>,
    /// Where the case stands.
    pub status: DisputeStatus,
    /// When the citizen opened it.
    pub opened_at: OffsetDateTime,
    /// When it last changed (the version answers are checked against).
    pub updated_at: OffsetDateTime,
    /// The organisation's latest answer.
    pub answer: Option<PlainText>,
}

/// Why a case cannot be opened or answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisputeError {
    /// No organisation is known for the item, so nobody could answer.
    #[error("no organisation is known for this item, so the case cannot be routed")]
    NoResponsibleOrganisation,
    /// The case cannot go from its status to the one asked for.
    #[error("a case that is {from} cannot become {to}")]
    Transition {
        /// The status now.
        from: &'static str,
        /// The status asked for.
        to: &'static str,
    },
    /// Only the organisation the case is routed to may answer it.
    #[error("only the organisation the case is routed to may answer it")]
    NotResponsible,
}

impl Dispute {
    /// Opens a case about `item`, routed to the organisation that answers
    /// for it. Only the item's subject can open one: stores look the item
    /// up among the citizen's own history, so an item of someone else is
    /// never found.
    ///
    /// # Errors
    /// [`DisputeError::NoResponsibleOrganisation`].
    pub fn open(
        id: Uuid,
        item: DisputedItem,
        message: Option<PlainText>,
        at: OffsetDateTime,
    ) -> Result<Self, DisputeError> {
        let organisation = item
            .organisation
            .clone()
            .ok_or(DisputeError::NoResponsibleOrganisation)?;
        Ok(Self {
            id,
            item,
            organisation,
            message,
            status: DisputeStatus::Open,
            opened_at: at,
            updated_at: at,
            answer: None,
        })
    }

    /// The case after `by` answers it, moving it to `status`.
    ///
    /// # Errors
    /// [`DisputeError::NotResponsible`] for any other organisation;
    /// [`DisputeError::Transition`] for a move [`DisputeStatus::may_become`]
    /// refuses.
    pub fn answer(
        &self,
        by: &OrgNumber,
        status: DisputeStatus,
        answer: PlainText,
        at: OffsetDateTime,
    ) -> Result<Self, DisputeError> {
        if by != &self.organisation {
            return Err(DisputeError::NotResponsible);
        }
        if !self.status.may_become(status) {
            return Err(DisputeError::Transition {
                from: self.status.as_str(),
                to: status.as_str(),
            });
        }
        Ok(Self {
            status,
            answer: Some(answer),
            // Never before the version it replaces, whatever the clock does.
            updated_at: at.max(self.updated_at),
            ..self.clone()
        })
    }
}
