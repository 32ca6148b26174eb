//! Dead letters, keyed by position.

use std::ops::Bound;

use innsyn_ports::{DeadLetter, DeadLetterStore, StoreError, StreamPosition};

use crate::MemoryStore;

impl DeadLetterStore for MemoryStore {
    fn put_dead_letters(&self, letters: &[DeadLetter]) -> Result<u64, StoreError> {
        let mut state = self.state()?;
        let mut new = 0;
        for l in letters {
            if state
                .dead_letters
                .insert(l.position.clone(), l.clone())
                .is_none()
            {
                new += 1;
            }
        }
        Ok(new)
    }

    fn dead_letters(
        &self,
        after: Option<StreamPosition>,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        let state = self.state()?;
        let from = after.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        Ok(state
            .dead_letters
            .range::<StreamPosition, _>((from, Bound::Unbounded))
            .take(limit)
            .map(|(_, l)| l.clone())
            .collect())
    }

    fn remove_dead_letters(&self, positions: &[StreamPosition]) -> Result<u64, StoreError> {
        let mut state = self.state()?;
        Ok(positions
            .iter()
            .filter(|p| state.dead_letters.remove(*p).is_some())
            .count() as u64)
    }
}
