//! Counts (and can slow or fail) the writes of access records: group
//! commit shows as fewer writes than reads, a failing write as the read's
//! error.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use innsyn_ports::StoreError;

use crate::hooked::Hooked;

#[derive(Default)]
pub(crate) struct Writes {
    /// The size of each write that succeeded.
    pub(crate) groups: Mutex<Vec<usize>>,
    /// Each write takes this long (so concurrent reads queue up).
    pub(crate) delay_ms: AtomicU64,
    /// Writes fail as "unavailable" while set.
    pub(crate) down: AtomicBool,
}

impl Writes {
    pub(crate) fn count(&self) -> usize {
        self.groups.lock().unwrap().len()
    }

    pub(crate) fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
}

/// A store whose writes of access records `writes` watches.
pub(crate) fn counting_store(writes: &Arc<Writes>) -> Hooked {
    let w = Arc::clone(writes);
    Hooked::before_append(move |records| {
        std::thread::sleep(Duration::from_millis(w.delay_ms.load(Ordering::SeqCst)));
        if w.down.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("the test killed the store".into()));
        }
        w.groups.lock().unwrap().push(records.len());
        Ok(())
    })
}
