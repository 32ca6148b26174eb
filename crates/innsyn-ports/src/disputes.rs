use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{
    Dispute, DisputeParty, DisputeQuery, DisputedItem, ItemRef, PlainText,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::StoreError;

/// A case as the citizen asks to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute {
    /// The id the case gets if it is new.
    pub id: Uuid,
    /// The citizen: only an item of their own history can be disputed.
    pub subject: SubjectId,
    /// Which item.
    pub item: ItemRef,
    /// What they wrote.
    pub message: Option<PlainText>,
    /// Now.
    pub at: OffsetDateTime,
}

/// What opening a case came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A new case, stored durably.
    Opened(Dispute),
    /// The citizen had already disputed this item: that case, unchanged.
    Existing(Dispute),
    /// The citizen's history holds no such item (it may be someone
    /// else's, or gone).
    NoSuchItem,
    /// The item names no organisation, so nobody could answer.
    NoResponsibleOrganisation,
}

/// Durable storage of disputes, beside the history they are about.
///
/// Every read is scoped to a [`DisputeParty`]: a case of another party is
/// not found, exactly as one that does not exist. While a case's status
/// [holds its item](innsyn_domain::disputes::DisputeStatus::holds_item),
/// the store's retention never deletes that item.
///
/// Blocking, like [`crate::HistoryStore`].
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait DisputeStore: Send + Sync {
    /// Opens a case about an item of `new.subject`'s history, routed by
    /// [`Dispute::open`], unless that citizen disputed the item before.
    ///
    /// # Errors
    /// [`StoreError`]; then nothing was stored.
    fn open_dispute(&self, new: &NewDispute) -> Result<OpenOutcome, StoreError>;

    /// One page of `q.party`'s cases with `q.status`, newest first (by
    /// opening time, then id, both descending), right after `q.after`, at
    /// most `q.limit`.
    ///
    /// # Errors
    /// [`StoreError`].
    fn disputes(&self, q: &DisputeQuery) -> Result<Vec<Dispute>, StoreError>;

    /// Case `id`, when `party` may see it.
    ///
    /// # Errors
    /// [`StoreError`].
    fn dispute(&self, party: &DisputeParty, id: Uuid) -> Result<Option<Dispute>, StoreError>;

    /// Replaces `previous` by `answered` (status, answer, update time),
    /// only if the stored case is still `previous` (same status and update
    /// time): `false` when someone changed it meanwhile, and nothing was
    /// written.
    ///
    /// # Errors
    /// [`StoreError`].
    fn save_answer(&self, previous: &Dispute, answered: &Dispute) -> Result<bool, StoreError>;

    /// "Dette var meg": `subject` recognises `item`, so its mark is
    /// cleared for them. Idempotent; `false` when their history holds no
    /// such item.
    ///
    /// # Errors
    /// [`StoreError`].
    fn confirm_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Every item `subject` has confirmed (a person confirms a few of
    /// their own items; retention removes a confirmation with its item).
    ///
    /// # Errors
    /// [`StoreError`].
    fn confirmed_items(&self, subject: &SubjectId) -> Result<Vec<ItemRef>, StoreError>;

    /// `subject`'s item `item` as a case would show it, without opening
    /// one (the page that offers to report it).
    ///
    /// # Errors
    /// [`StoreError`].
    fn disputable_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
    ) -> Result<Option<DisputedItem>, StoreError>;
}
