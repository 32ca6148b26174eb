//! Test helpers shared by the modules.

use innsyn_tlog::Hash;

/// Hex to bytes; the vectors are copied as hex strings from their sources.
pub(crate) fn bytes(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd-length hex {hex:?}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Hex to a 32-byte hash.
pub(crate) fn hash(hex: &str) -> Hash {
    Hash::try_from(bytes(hex)).unwrap()
}

/// A copy of `value` with byte `at` XORed by `mask` (non-zero).
pub(crate) fn flipped(value: &Hash, at: usize, mask: u8) -> Hash {
    let mut changed = *value;
    changed[at] ^= mask;
    changed
}
