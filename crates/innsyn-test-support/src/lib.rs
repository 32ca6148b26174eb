//! What innsyn's tests share across crates, written once: a clock the test
//! sets ([`FixedClock`]), free loopback ports ([`free_port`]), a minimal
//! blocking HTTP/1.1 client ([`http`]), Chromium under chromedriver
//! ([`browser`]) and, with the feature `kafka`, a real Kafka-protocol
//! broker (`kafka`).
//!
//! The PostgreSQL test databases stay with the store
//! (`innsyn_store_diesel::test_support`): their template is keyed on the
//! store's embedded migrations, which only that crate can read. The record
//! builders every store case uses are `innsyn_store_contract::fixtures`.

// Test support: a port that cannot be bound or a request that fails must
// fail the test loudly and at once.
#![allow(clippy::expect_used, clippy::panic)]

pub mod browser;
mod clock;
pub mod http;
#[cfg(feature = "kafka")]
pub mod kafka;

pub use clock::FixedClock;

/// A port on 127.0.0.1 that was free a moment ago (the listener is
/// dropped). For processes that bind it themselves; a server in the test
/// process should keep a listener bound to port 0 instead.
///
/// # Panics
/// When the loopback interface cannot be bound at all.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Kills a child process (ours, by its id) and waits for it when dropped:
/// no server, driver or provider a test started outlives the test.
#[derive(Debug)]
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
