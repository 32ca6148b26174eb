//! Synthetic identity numbers for tests, demo data and benchmarks: the one
//! generator every fixture uses, so that none of them carries a number the
//! service would refuse, and none is a real person's.
//!
//! The numbers are Tenor-style (Skatteetaten's test population: month +
//! 80), which no real person has. Number `n` is laid out as:
//! - the last individual digit runs over the values whose check digits
//!   both exist: at least 8 of every 10 (each check digit rules out at
//!   most one value, see `slot_digit`), so 8 slots per block;
//! - then the first two individual digits (100 blocks per date);
//! - then the day (1–28, valid in every month), the month, the year (from
//!   1980 on, wrapping after 99).

use super::digits::with_check_digits;

/// Slots of one block of ten last individual digits.
const SLOTS: u32 = 8;
/// Days used per month: every month has them.
const DAYS: u32 = 28;
/// How many distinct synthetic numbers there are; `synthetic(n)` repeats
/// with period `SYNTHETIC_CAPACITY`.
pub const SYNTHETIC_CAPACITY: u32 = SLOTS * 100 * DAYS * 12 * 100;
/// The first year (two digits) of the synthetic population.
const FIRST_YEAR: u32 = 80;

/// Test data: the `n`th synthetic national identity number, valid under
/// [`IdentityNumber::parse`](super::IdentityNumber::parse) and deterministic
/// from `n`; distinct for every `n` below [`SYNTHETIC_CAPACITY`]
/// (26,880,000). Never a real person's number (Tenor month + 80).
///
/// ```
/// use innsyn_domain::identity::{CITIZEN_A, IdentityNumber, synthetic};
/// assert_eq!(synthetic(0), CITIZEN_A);
/// assert!(IdentityNumber::parse(&synthetic(12_345)).is_ok());
/// assert_ne!(synthetic(1), synthetic(2));
/// ```
pub fn synthetic(n: u32) -> String {
    digits_of(n).iter().map(|d| char::from(b'0' + d)).collect()
}

/// The digit values of `synthetic(n)`.
pub(super) const fn digits_of(n: u32) -> [u8; 11] {
    let n = n % SYNTHETIC_CAPACITY;
    let slot = n % SLOTS;
    let block = n / SLOTS;
    let individual = block % 100;
    let date = block / 100;
    let day = date % DAYS + 1;
    let month = (date / DAYS) % 12 + 1 + 80;
    let year = (FIRST_YEAR + date / (DAYS * 12)) % 100;
    let base = [
        (day / 10) as u8,
        (day % 10) as u8,
        (month / 10) as u8,
        (month % 10) as u8,
        (year / 10) as u8,
        (year % 10) as u8,
        (individual / 10) as u8,
        (individual % 10) as u8,
        0,
        0,
        0,
    ];
    slot_digit(base, slot)
}

/// The `slot`th value of the last individual digit for which both check
/// digits exist, with them filled in.
///
/// At least 8 of the 10 values qualify: k1 is 10 for at most one value
/// (its weight 2 makes the sum step by 2 mod 11, so the ten values give
/// ten different remainders); given k1, k2's sum is `c - i3` mod 11 for
/// the last individual digit i3 and a constant c, so k2 is 10 for at most
/// one value too. A unit test holds every block of the range to it.
const fn slot_digit(mut digits: [u8; 11], slot: u32) -> [u8; 11] {
    let mut seen = 0;
    let mut last = 0;
    while last < 10 {
        digits[8] = last;
        if let Some(full) = with_check_digits(digits) {
            if seen == slot {
                return full;
            }
            seen += 1;
        }
        last += 1;
    }
    // Unreachable by the argument above; the tests hold it.
    digits
}

/// `synthetic(n)` as a `&'static str`, for constants.
const fn as_str(digits: &'static [u8; 11]) -> &'static str {
    match std::str::from_utf8(digits) {
        Ok(s) => s,
        Err(_) => "",
    }
}

const fn ascii(n: u32) -> [u8; 11] {
    let mut d = digits_of(n);
    let mut i = 0;
    while i < d.len() {
        d[i] += b'0';
        i += 1;
    }
    d
}

macro_rules! citizens {
    ($($(#[$doc:meta])* $name:ident = $n:expr;)*) => {
        $(
            $(#[$doc])*
            pub const $name: &str = {
                const DIGITS: [u8; 11] = ascii($n);
                as_str(&DIGITS)
            };
        )*
    };
}

citizens! {
    /// Test data: `synthetic(0)`, the first test citizen.
    CITIZEN_A = 0;
    /// Test data: `synthetic(1)`.
    CITIZEN_B = 1;
    /// Test data: `synthetic(2)`.
    CITIZEN_C = 2;
    /// Test data: `synthetic(3)`.
    CITIZEN_D = 3;
    /// Test data: `synthetic(4)`.
    CITIZEN_E = 4;
    /// Test data: `synthetic(5)`.
    CITIZEN_F = 5;
}
