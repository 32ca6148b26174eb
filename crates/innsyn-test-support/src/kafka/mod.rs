//! A real Kafka-protocol broker for tests: Tansu 0.6.0 as a child process,
//! in-memory storage, one broker on a free loopback port, and blocking
//! rdkafka clients to set it up and to check what a consumer committed.
//!
//! The broker is installed once per machine by `ensure_tansu` in
//! `scripts/lib/tansu.sh` (which `scripts/test` sources); [`Broker::start`]
//! finds it through `INNSYN_TANSU` or in that script's cache. A missing
//! broker fails the test: it is never skipped.
//!
//! Every call here blocks the calling thread (at most for the wait it
//! documents) and needs no async runtime; rdkafka runs its own threads.
//!
//! What this Tansu does that a test must know:
//! - consumer groups, fetches and offset commits work; transactions do not;
//! - the high watermark it reports (ListOffsets "latest", which rdkafka's
//!   `fetch_watermarks` and `auto.offset.reset=latest` use) is the base
//!   offset of the partition's last record batch plus one, not its end:
//!   assert on [`Broker::end_offsets`], which finds the true end, and start
//!   consumers at `earliest` (a `latest` consumer rereads the tail of the
//!   last batch);
//! - SASL cannot be used: PLAIN is not offered, and SCRAM users cannot be
//!   stored (creating one succeeds but is not kept), so every SCRAM login
//!   fails with `unknown-user`.

use std::time::Duration;

mod binary;
mod broker;
mod client;
#[cfg(test)]
mod tests;

pub use binary::{cached_tansu, tansu_binary};
pub use broker::Broker;

/// The environment variable `ensure_tansu` exports: the broker's executable.
pub const TANSU_ENV: &str = "INNSYN_TANSU";

/// The version `scripts/lib/tansu.sh` installs.
pub const TANSU_VERSION: &str = "0.6.0";

/// What [`Broker::committed_offsets`] reports for a partition the group
/// has committed nothing on (Kafka's own "no offset").
pub const NOTHING_COMMITTED: i64 = -1;

/// How long the broker may take to answer its first metadata request.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one admin, metadata or offset request may take: the broker is
/// local and in memory, so anything slower is a fault worth failing on.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a created topic may take to show all its partitions.
const TOPIC_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `produce` waits for the broker to acknowledge every message.
const PRODUCE_TIMEOUT: Duration = Duration::from_secs(15);
/// Pause between two polls of a bounded wait.
const RETRY_PAUSE: Duration = Duration::from_millis(100);
/// Attempts at binding a port: another process may take the free port
/// between [`crate::free_port`] and the broker's bind.
const PORT_ATTEMPTS: usize = 3;

/// Activity record number `i` as ID-porten's producer writes it (one JSON
/// object, no key): a distinct event (`correlation_id` `c-{i}`, its own
/// event id and time), for citizen `pid`, of one of four clients, with a
/// newer producer's field (`subject_birthyear`) a consumer must accept.
#[must_use]
pub fn activity_json(i: usize, pid: &str, created_ms: i64) -> Vec<u8> {
    format!(
        r#"{{"event_name":"Innlogget","event_created":{created_ms},"event_subject_pid":"{pid}","service_provider_id":"client-{}","service_provider_orgno":"991825827","service_owner_orgno":"991825827","auth_eid":"MinID","auth_method":"PIN","correlation_id":"c-{i}","extra_data":{{"event_id":"e-{i}"}},"subject_birthyear":1990}}"#,
        i % 4
    )
    .into_bytes()
}
