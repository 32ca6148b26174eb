//! The catalog's application name and organisation of each client that
//! reads, so a record of a read names the service as the citizen knows it.
//! Kept for [`FRESH_FOR`]: the catalog is read again only for a client not
//! seen lately, inside the writer's store call (no extra turn at the gate).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use innsyn_domain::records::read_resources;
use innsyn_domain::{AccessRecord, ClientEntry};
use innsyn_ports::{HistoryStore, StoreError};

/// How long a client's catalog entry is trusted: an administrator's rename
/// shows in new records after at most this.
const FRESH_FOR: Duration = Duration::from_secs(60);

#[derive(Default)]
pub(crate) struct Applications {
    known: Mutex<HashMap<String, (Instant, Option<ClientEntry>)>>,
    resources_registered: AtomicBool,
}

impl Applications {
    /// Puts the two resources of reads in the catalog, once per process
    /// (idempotent: a second process, or a restart, puts the same), so a
    /// `resource=innsyn:…` filter is known even before the first read.
    ///
    /// # Errors
    /// The store's.
    pub(crate) fn register_resources(&self, store: &dyn HistoryStore) -> Result<(), StoreError> {
        if self.resources_registered.load(Ordering::Acquire) {
            return Ok(());
        }
        for resource in read_resources() {
            store.put_resource(&resource)?;
        }
        self.resources_registered.store(true, Ordering::Release);
        Ok(())
    }

    /// Names each record's application (and organisation, when the token
    /// gave none) from the catalog; a client the catalog does not know
    /// keeps what the record has (its client id).
    ///
    /// # Errors
    /// The store's, when the catalog had to be read and could not be.
    pub(crate) fn name(
        &self,
        store: &dyn HistoryStore,
        records: &mut [AccessRecord],
    ) -> Result<(), StoreError> {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let stale = |k: &HashMap<_, (Instant, _)>, id: &String| {
            k.get(id)
                .is_none_or(|(at, _)| now.duration_since(*at) > FRESH_FOR)
        };
        if records.iter().any(|r| stale(&known, &r.client_id)) {
            let catalog = store.catalog()?;
            let mut fresh: HashMap<_, _> = catalog
                .clients
                .into_iter()
                .map(|c| (c.client_id.clone(), (now, Some(c))))
                .collect();
            for r in records.iter() {
                fresh.entry(r.client_id.clone()).or_insert((now, None));
            }
            *known = fresh;
        }
        for r in records.iter_mut() {
            if let Some((_, Some(entry))) = known.get(&r.client_id) {
                r.application.clone_from(&entry.application);
                if r.orgno.is_none() {
                    r.orgno.clone_from(&entry.orgno);
                }
            }
        }
        Ok(())
    }
}
