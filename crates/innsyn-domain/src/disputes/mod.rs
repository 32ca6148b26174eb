//! "Det var ikke meg": a citizen disputes a login or a look-up, and the
//! case goes to the organisation that answers for it.
//!
//! The rules are here as pure functions; stores keep the cases and scope
//! every read by a [`DisputeParty`], and hold a disputed item from
//! retention while [`DisputeStatus::holds_item`].

mod details;
mod dispute;
mod item;
mod params;
mod party;
mod query;
mod text;

pub use details::{DisputedItem, FlatDetails, ItemDetails};
pub use dispute::{Dispute, DisputeError, DisputeStatus};
pub use item::{ItemKind, ItemRef, ItemRefError, LoginKey};
pub use params::{DEFAULT_DISPUTE_PAGE, DisputeListParams, parse_answer, parse_report};
pub use party::DisputeParty;
pub use query::{DisputeCursor, DisputeCursorError, DisputeQuery, MAX_DISPUTE_PAGE};
pub use text::{MAX_ANSWER_CHARS, MAX_MESSAGE_CHARS, PlainText, PlainTextError};

#[cfg(test)]
mod tests;
