//! The shape of the generated data, shared by the SQL generator (through
//! the files `prepare` writes), the request lines and the pgbench scripts.
//!
//! - Citizen `n` (1-based) has the synthetic identity number
//!   `innsyn_domain::identity::synthetic(n)` (valid check digits, so the
//!   API's ingestion accepts it; distinct up to `SYNTHETIC_CAPACITY`).
//! - Citizen `n` has `max(1, floor(F * sqrt(citizens / n)))` events: a
//!   Zipf-like skew (as in the PostgreSQL ceiling measurements).
//! - 500 clients; a client is drawn as `1 + 500 * u^2 / 10^12` with `u`
//!   uniform in `0..10^6` (popular services first); client `c` belongs to
//!   organisation `1 + (c - 1) % 100`.

use hmac::{Hmac, Mac};
use innsyn_domain::identity::{SYNTHETIC_CAPACITY, synthetic};
use sha2::Sha256;

use crate::args::Args;

/// Services (OAuth clients).
pub(crate) const CLIENTS: u32 = 500;
/// Organisations owning them.
pub(crate) const ORGS: u32 = 100;
/// The draw range of the client skew.
pub(crate) const SKEW_RANGE: u64 = 1_000_000;

/// The identity number of citizen `n`; `prepare` refuses more citizens
/// than there are distinct synthetic numbers.
pub(crate) fn pid(n: u64) -> String {
    let n = n % u64::from(SYNTHETIC_CAPACITY);
    synthetic(u32::try_from(n).unwrap_or_default())
}

/// The store's subject key: HMAC-SHA256 over a purpose tag and the
/// length-prefixed identity number (`innsyn-store-diesel`, `keys.rs`).
pub(crate) fn subject_key(secret: &[u8], pid: &str) -> Result<Vec<u8>, String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|e| e.to_string())?;
    mac.update(SUBJECT_PURPOSE);
    mac.update(&(pid.len() as u64).to_be_bytes());
    mac.update(pid.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

/// The purpose tag of subject keys.
pub(crate) const SUBJECT_PURPOSE: &[u8] = b"innsyn/subject/v1";

/// The store's login-event idempotency key (`keys.rs`, `login_dedup_key`).
pub(crate) fn dedup_key(secret: &[u8], pid: &str, fingerprint: &[u8]) -> Result<Vec<u8>, String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|e| e.to_string())?;
    mac.update(b"innsyn/login-event/v1");
    for part in [pid.as_bytes(), fingerprint] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    Ok(mac.finalize().into_bytes().to_vec())
}

/// The modulus-11 check digit of eight digits, `None` when it would be 10.
fn check_digit(base: u32) -> Option<u32> {
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
    let digits = format!("{base:08}");
    let sum: u32 = digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        d => Some(d),
    }
}

/// The organisations' numbers, index `k - 1` for organisation `k`: the
/// first valid numbers from 910000000 on.
pub(crate) fn orgnos() -> Vec<String> {
    (91_000_000u32..)
        .filter_map(|base| check_digit(base).map(|c| format!("{base:08}{c}")))
        .take(ORGS as usize)
        .collect()
}

/// Client `c`'s id.
pub(crate) fn client_id(c: u32) -> String {
    format!("bench-client-{c:03}")
}

/// Client `c`'s service name.
pub(crate) fn service_name(c: u32) -> String {
    format!("Tjeneste {c:03}")
}

/// The organisation (1-based) of client `c`.
pub(crate) fn org_of(c: u32) -> u32 {
    1 + (c - 1) % ORGS
}

/// The skewed client for a uniform draw `u` in `0..SKEW_RANGE`.
pub(crate) fn skewed_client(u: u64) -> u32 {
    let c = 1 + (u64::from(CLIENTS) * u * u) / (SKEW_RANGE * SKEW_RANGE);
    u32::try_from(c).unwrap_or(CLIENTS).min(CLIENTS)
}

/// Events of citizen `n` for skew factor `f`.
pub(crate) fn events_of(n: u64, citizens: u64, f: f64) -> u64 {
    if f <= 0.0 {
        return 0;
    }
    let x = (f * (citizens as f64 / n as f64).sqrt()).floor();
    (x as u64).max(1)
}

/// The total for factor `f`.
pub(crate) fn total(citizens: u64, f: f64) -> u64 {
    (1..=citizens).map(|n| events_of(n, citizens, f)).sum()
}

/// The factor whose total is closest to `events` (bisection).
pub(crate) fn factor(events: u64, citizens: u64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while total(citizens, hi) < events && hi < 1e9 {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if total(citizens, mid) < events {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// `factor --events N [--citizens C]`: prints the factor and the total.
pub(crate) fn factor_command(args: &Args) -> Result<(), String> {
    let events: u64 = args.num("events", 1_000_000)?;
    let citizens: u64 = args.num("citizens", 200_000)?;
    let f = factor(events, citizens);
    println!("{f:.9} {}", total(citizens, f));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orgnos_are_valid() {
        let orgs = orgnos();
        assert_eq!(orgs.len(), 100);
        for o in &orgs {
            assert!(innsyn_domain::OrgNumber::parse(o).is_ok(), "{o}");
        }
    }

    #[test]
    fn skew_and_factor() {
        assert_eq!(skewed_client(0), 1);
        assert_eq!(skewed_client(SKEW_RANGE - 1), 500);
        let f = factor(1_000_000, 200_000);
        let t = total(200_000, f);
        assert!(t.abs_diff(1_000_000) < 1_000, "{t}");
    }

    #[test]
    fn citizens_have_distinct_valid_identity_numbers() {
        let pids: std::collections::HashSet<_> = (1..=10_000).map(pid).collect();
        assert_eq!(pids.len(), 10_000);
        assert!(
            pids.iter()
                .all(|p| innsyn_domain::IdentityNumber::parse(p).is_ok())
        );
    }

    #[test]
    fn subject_key_matches_the_store_layout() {
        let pid = pid(1);
        let k = subject_key(b"secret-one-123456", &pid).unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret-one-123456").unwrap();
        mac.update(b"innsyn/subject/v1");
        mac.update(&11u64.to_be_bytes());
        mac.update(pid.as_bytes());
        assert_eq!(k, mac.finalize().into_bytes().to_vec());
    }
}
