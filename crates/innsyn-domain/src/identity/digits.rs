//! The arithmetic of the number: check digits and the date part. `const`,
//! so the synthetic test numbers can be computed at compile time from the
//! same rules that check them.

/// Weights of the first check digit (k1) over digits 1–9.
const K1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
/// Weights of the second check digit (k2) over digits 1–10.
const K2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The digit values of `raw` when it is exactly eleven ASCII digits.
pub(super) fn values(raw: &str) -> Option<[u8; 11]> {
    let bytes: [u8; 11] = raw.as_bytes().try_into().ok()?;
    if !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.map(|b| b - b'0'))
}

/// The modulus-11 check digit of the first `weights.len()` digits; `None`
/// when the remainder makes it 10, which no valid number has.
const fn check_digit(digits: &[u8; 11], weights: &[u32]) -> Option<u8> {
    let mut sum = 0;
    let mut i = 0;
    while i < weights.len() {
        sum += digits[i] as u32 * weights[i];
        i += 1;
    }
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

/// k1 and k2 computed into digits 10 and 11, `None` when either would be 10.
pub(super) const fn with_check_digits(mut digits: [u8; 11]) -> Option<[u8; 11]> {
    let Some(k1) = check_digit(&digits, &K1) else {
        return None;
    };
    digits[9] = k1;
    let Some(k2) = check_digit(&digits, &K2) else {
        return None;
    };
    digits[10] = k2;
    Some(digits)
}

/// Whether digits 10 and 11 are the check digits of the others.
pub(super) fn check_digits_hold(digits: &[u8; 11]) -> bool {
    with_check_digits(*digits).is_some_and(|d| d == *digits)
}

/// Whether digits 1–6 (`DDMMYY`) are a date, after removing the offset of
/// a D-number (day + 40) and of an H-number or synthetic number (month +
/// 40 or + 80). The century is not checked (it follows from the individual
/// number, which the kinds use differently), so 29 February is accepted in
/// every year divisible by four, 2000 included.
pub(super) fn plausible_date(digits: &[u8; 11]) -> bool {
    let two = |i: usize| digits[i] * 10 + digits[i + 1];
    let day = match two(0) {
        d @ 1..=31 => d,
        d @ 41..=71 => d - 40,
        _ => return false,
    };
    let month = match two(2) {
        m @ 1..=12 => m,
        m @ 41..=52 => m - 40,
        m @ 81..=92 => m - 80,
        _ => return false,
    };
    let leap = two(4) % 4 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}
