//! The inputs of the dispute use cases as front ends receive them (query
//! parameters, JSON fields, form fields), checked here once; errors name
//! the parameter.

use super::dispute::DisputeStatus;
use super::item::ItemRef;
use super::party::DisputeParty;
use super::query::{DisputeCursor, DisputeQuery, MAX_DISPUTE_PAGE};
use super::text::PlainText;
use crate::params::InvalidParams;

/// A page size when none is asked for.
pub const DEFAULT_DISPUTE_PAGE: u16 = 20;

/// `status`, `after` and `limit` of a listing, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisputeListParams {
    /// `open`, `answered` or `closed`.
    pub status: Option<String>,
    /// The `nextCursor` of the page before.
    pub after: Option<String>,
    /// 1 to [`MAX_DISPUTE_PAGE`].
    pub limit: Option<String>,
}

impl DisputeQuery {
    /// `party`'s listing for `params`.
    ///
    /// # Errors
    /// [`InvalidParams`] naming `status`, `after` or `limit`.
    pub fn build(party: DisputeParty, params: &DisputeListParams) -> Result<Self, InvalidParams> {
        let mut e = InvalidParams::new();
        let status = params.status.as_deref().and_then(|raw| {
            e.check(
                "status",
                DisputeStatus::parse(raw).ok_or("must be open, answered or closed"),
            )
        });
        let after = params
            .after
            .as_deref()
            .and_then(|raw| e.check("after", DisputeCursor::parse(raw)));
        let limit = match params.limit.as_deref() {
            None => Some(DEFAULT_DISPUTE_PAGE),
            Some(raw) => e.check(
                "limit",
                raw.parse::<u16>()
                    .ok()
                    .filter(|n| (1..=MAX_DISPUTE_PAGE).contains(n))
                    .ok_or(format!(
                        "must be a whole number from 1 to {MAX_DISPUTE_PAGE}"
                    )),
            ),
        };
        e.finish(|| {
            Some(Self {
                party,
                status,
                after,
                limit: limit?,
            })
        })
    }
}

/// A citizen's report as sent: which item, and what they wrote.
///
/// # Errors
/// [`InvalidParams`] naming `item` or `message`.
pub fn parse_report(
    item: &str,
    message: Option<&str>,
) -> Result<(ItemRef, Option<PlainText>), InvalidParams> {
    let mut e = InvalidParams::new();
    let item = e.check("item", ItemRef::parse(item));
    let message = e.check("message", PlainText::message(message));
    e.finish(|| Some((item?, message?)))
}

/// An organisation's answer as sent: the status it moves the case to
/// (`answered` or `closed`) and its text.
///
/// # Errors
/// [`InvalidParams`] naming `status` or `message`.
pub fn parse_answer(
    status: &str,
    message: &str,
) -> Result<(DisputeStatus, PlainText), InvalidParams> {
    let mut e = InvalidParams::new();
    let status = e.check(
        "status",
        DisputeStatus::parse(status)
            .filter(|s| *s != DisputeStatus::Open)
            .ok_or("must be answered or closed"),
    );
    let message = e.check("message", PlainText::answer(message));
    e.finish(|| Some((status?, message?)))
}
