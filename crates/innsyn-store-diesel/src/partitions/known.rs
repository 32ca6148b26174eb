//! The partitions this process knows, so ingestion runs DDL only for new months.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use diesel::PgConnection;
use time::OffsetDateTime;

use crate::conn::Failure;

use super::YearMonth;
use super::ddl::ensure_table;

/// The partitions this process knows to exist, so that ingestion checks a
/// set in memory and runs DDL only for a month it has not seen. Partitions
/// dropped behind its back (retention in another process) surface as
/// [`is_missing_partition`] errors; the caller then [`Known::forget`]s and
/// retries once.
#[derive(Debug, Default)]
pub(crate) struct Known(Mutex<BTreeSet<(&'static str, YearMonth)>>);

impl Known {
    fn set(&self) -> std::sync::MutexGuard<'_, BTreeSet<(&'static str, YearMonth)>> {
        // The set is only ever extended or cleared: still valid after a panic.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes sure `table` has a partition for each of `months`.
    pub(crate) fn ensure(
        &self,
        c: &mut PgConnection,
        table: &'static str,
        months: &BTreeSet<YearMonth>,
    ) -> Result<(), Failure> {
        let missing: BTreeSet<YearMonth> = {
            let known = self.set();
            months
                .iter()
                .filter(|ym| !known.contains(&(table, **ym)))
                .copied()
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let (existing, _) = ensure_table(c, table, &missing)?;
        self.set()
            .extend(existing.into_iter().map(|ym| (table, ym)));
        Ok(())
    }

    /// Forgets everything (after retention dropped partitions).
    pub(crate) fn forget(&self) {
        self.set().clear();
    }
}

/// The months of `times`.
pub(crate) fn months_of(times: impl IntoIterator<Item = OffsetDateTime>) -> BTreeSet<YearMonth> {
    times.into_iter().map(YearMonth::of).collect()
}

/// Whether an insert failed because its month has no partition
/// (SQLSTATE 23514, "no partition of relation … found for row").
pub(crate) fn is_missing_partition(f: &Failure) -> bool {
    matches!(
        f,
        Failure::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::CheckViolation,
            info,
        )) if info.message().starts_with("no partition of relation")
    )
}
