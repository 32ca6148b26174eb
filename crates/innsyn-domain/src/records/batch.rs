//! Whole batches: one bad item rejects the batch, every bad item is named.

use serde::Serialize;

use super::MAX_BATCH;
use crate::params::InvalidParams;

/// Validates a whole batch: every bad item is reported as `[index].field`,
/// and one bad item rejects the batch.
pub fn validate_batch<I, T>(
    items: Vec<I>,
    one: impl Fn(I) -> Result<T, InvalidParams>,
) -> Result<Vec<T>, InvalidParams> {
    let mut errors = InvalidParams::new();
    if items.len() > MAX_BATCH {
        errors.push("body", format!("a batch holds at most {MAX_BATCH} items"));
        return Err(errors);
    }
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match one(item) {
            Ok(v) => out.push(v),
            Err(e) => errors.extend_prefixed(&format!("[{index}]."), e),
        }
    }
    errors.finish(|| Some(out))
}

/// What an idempotent append did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AppendOutcome {
    /// Newly stored.
    pub accepted: u64,
    /// Already stored before (or repeated within the batch), identically.
    pub duplicates: u64,
    /// An id already stored (before, or earlier in the batch) with other
    /// content: not stored, the first record stays. Only access records
    /// have ids that can conflict; always 0 for login events.
    pub conflicts: u64,
}
