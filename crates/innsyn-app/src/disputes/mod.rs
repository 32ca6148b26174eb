//! "Det var ikke meg": the citizen opens a case about a login or a look-up,
//! the organisation it is routed to reads and answers it. The same use
//! cases serve the API (both sides) and the citizen's page.

mod stats;

pub use stats::CaseEvent;
pub(crate) use stats::DisputeCounters;

use innsyn_domain::disputes::{
    Dispute, DisputeCursor, DisputeListParams, DisputeParty, DisputeQuery, DisputedItem,
    parse_answer, parse_report,
};
use innsyn_domain::{InvalidParams, OrgNumber, SubjectId, policy};
use innsyn_ports::{AccessToken, NewDispute, OpenOutcome};
use uuid::Uuid;

use crate::{AppError, Service};

/// One page of cases, and where the next starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputePage {
    /// Newest first.
    pub cases: Vec<Dispute>,
    /// The `after` of the next page, when there is one.
    pub next: Option<DisputeCursor>,
}

fn not_in_history() -> AppError {
    let mut e = InvalidParams::new();
    e.push("item", "is not an item of your history");
    AppError::InvalidParams(e)
}

fn case_id(raw: &str) -> Result<Uuid, AppError> {
    // A malformed id names no case, so it is "not found" too: whether an
    // id is well-formed tells nothing, but one answer is simpler to rely on.
    Uuid::try_parse(raw.trim()).map_err(|_| AppError::NoSuchCase)
}

impl Service {
    /// The organisation whose cases a token's client may read and answer.
    ///
    /// # Errors
    /// [`AppError::Token`] or [`AppError::Denied`].
    pub async fn dispute_organisation(&self, token: &AccessToken) -> Result<OrgNumber, AppError> {
        let caller = self.authenticate(token).await?;
        match policy::authorize_organisation_disputes(&caller, self.scopes())? {
            DisputeParty::Organisation(org) => Ok(org),
            DisputeParty::Citizen(_) => {
                Err(AppError::Internal("an organisation was expected".into()))
            }
        }
    }

    /// The citizen whose own cases a token may open and read.
    ///
    /// # Errors
    /// [`AppError::Token`] or [`AppError::Denied`].
    pub async fn dispute_citizen(&self, token: &AccessToken) -> Result<SubjectId, AppError> {
        let caller = self.authenticate(token).await?;
        match policy::authorize_own_disputes(&caller, self.scopes())? {
            DisputeParty::Citizen(subject) => Ok(subject),
            DisputeParty::Organisation(_) => {
                Err(AppError::Internal("a citizen was expected".into()))
            }
        }
    }

    /// Opens `subject`'s case about `item` (the reference the history
    /// shows), durably, before answering.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `item` (also when the citizen's
    /// history holds no such item) or `message`;
    /// [`AppError::AlreadyDisputed`] with the case opened before;
    /// [`AppError::Unroutable`]; [`AppError::Store`].
    pub async fn open_dispute(
        &self,
        subject: &SubjectId,
        item: &str,
        message: Option<&str>,
    ) -> Result<Dispute, AppError> {
        let (item, message) = parse_report(item, message)?;
        let new = NewDispute {
            id: Uuid::new_v4(),
            subject: subject.clone(),
            item,
            message,
            at: self.now(),
        };
        let outcome = self
            .with_disputes(move |s| Ok(s.open_dispute(&new)?))
            .await?;
        match outcome {
            OpenOutcome::Opened(d) => {
                self.inner()
                    .disputes
                    .count(&d.organisation, CaseEvent::Opened);
                tracing::info!(case = %d.id, organisation = %d.organisation.as_str(), "dispute opened");
                Ok(d)
            }
            OpenOutcome::Existing(d) => Err(AppError::AlreadyDisputed(Box::new(d))),
            OpenOutcome::NoSuchItem => Err(not_in_history()),
            OpenOutcome::NoResponsibleOrganisation => Err(AppError::Unroutable),
        }
    }

    /// One page of `party`'s cases.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `status`, `after` or `limit`;
    /// [`AppError::Store`].
    pub async fn disputes(
        &self,
        party: DisputeParty,
        params: &DisputeListParams,
    ) -> Result<DisputePage, AppError> {
        let q = DisputeQuery::build(party, params)?;
        let limit = usize::from(q.limit);
        // One more than asked tells whether a next page exists.
        let ask = DisputeQuery {
            limit: q.limit + 1,
            ..q
        };
        let mut cases = self.with_disputes(move |s| Ok(s.disputes(&ask)?)).await?;
        let next = (cases.len() > limit).then(|| DisputeCursor::of(&cases[limit - 1]));
        cases.truncate(limit);
        Ok(DisputePage { cases, next })
    }

    /// Case `id`, when `party` may see it.
    ///
    /// # Errors
    /// [`AppError::NoSuchCase`] for an id that is malformed, unknown or
    /// another party's; [`AppError::Store`].
    pub async fn dispute(&self, party: DisputeParty, id: &str) -> Result<Dispute, AppError> {
        let id = case_id(id)?;
        self.with_disputes(move |s| Ok(s.dispute(&party, id)?))
            .await?
            .ok_or(AppError::NoSuchCase)
    }

    /// `org` answers case `id`, moving it to `status` (`answered` or
    /// `closed`) with `message`; the answer is durable before this returns.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `status` or `message`;
    /// [`AppError::NoSuchCase`]; [`AppError::CaseRefused`] for a closed
    /// case; [`AppError::CaseChanged`] when another answer came first;
    /// [`AppError::Store`].
    pub async fn answer_dispute(
        &self,
        org: &OrgNumber,
        id: &str,
        status: &str,
        message: &str,
    ) -> Result<Dispute, AppError> {
        let (status, message) = parse_answer(status, message)?;
        let id = case_id(id)?;
        let (org, now) = (org.clone(), self.now());
        let answered = self
            .with_disputes(move |s| {
                let party = DisputeParty::Organisation(org.clone());
                let current = s.dispute(&party, id)?.ok_or(AppError::NoSuchCase)?;
                let answered = current
                    .answer(&org, status, message, now)
                    .map_err(AppError::CaseRefused)?;
                if s.save_answer(&current, &answered)? {
                    Ok(answered)
                } else {
                    Err(AppError::CaseChanged)
                }
            })
            .await?;
        self.inner().disputes.count(
            &answered.organisation,
            CaseEvent::of_answer(answered.status),
        );
        tracing::info!(case = %answered.id, status = answered.status.as_str(), "dispute answered");
        Ok(answered)
    }

    /// `subject`'s item `item` (its reference as the history shows it), as
    /// a case about it would show it: for the page that offers to report it.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `item` (also when the citizen's
    /// history holds no such item); [`AppError::Store`].
    pub async fn disputable_item(
        &self,
        subject: &SubjectId,
        item: &str,
    ) -> Result<DisputedItem, AppError> {
        let (item, _) = parse_report(item, None)?;
        let subject = subject.clone();
        self.with_disputes(move |s| Ok(s.disputable_item(&subject, &item)?))
            .await?
            .ok_or_else(not_in_history)
    }

    /// "Dette var meg": `subject` recognises `item`; its mark goes.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `item` (also when the citizen's
    /// history holds no such item); [`AppError::Store`].
    pub async fn confirm_item(&self, subject: &SubjectId, item: &str) -> Result<(), AppError> {
        let (item, _) = parse_report(item, None)?;
        let (subject, now) = (subject.clone(), self.now());
        let known = self
            .with_disputes(move |s| Ok(s.confirm_item(&subject, &item, now)?))
            .await?;
        if known { Ok(()) } else { Err(not_in_history()) }
    }

    /// Cases opened, answered and closed per organisation since start.
    pub fn dispute_stats(&self) -> Vec<(OrgNumber, CaseEvent, u64)> {
        self.inner().disputes.snapshot()
    }
}
