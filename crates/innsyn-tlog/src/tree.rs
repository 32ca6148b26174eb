//! The Merkle Tree Hash (RFC 9162 §2.1.1) over a slice of leaf hashes.
//!
//! The functions take leaf hashes, not entries: retention deletes a record's
//! contents but keeps its leaf hash, and every root and proof must still be
//! computable from what is kept.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};

/// The root of the tree whose leaves hash to `leaves`, in order.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => EMPTY_ROOT,
        [only] => *only,
        _ => {
            let (left, right) = leaves.split_at(split_len(leaves.len()));
            node_hash(&root(left), &root(right))
        }
    }
}

/// The largest power of two smaller than `n` (`n >= 2`): where RFC 9162
/// splits a tree of `n` leaves into its left and right subtrees.
pub(crate) fn split(n: u64) -> u64 {
    debug_assert!(n >= 2, "a tree of fewer than two leaves has no split");
    // For n >= 2 the result is at least 1; `n - 1` keeps an exact power of
    // two from being its own split.
    1 << (u64::BITS - 1 - (n - 1).leading_zeros())
}

/// [`split`] of a slice's length, as an index into it.
pub(crate) fn split_len(len: usize) -> usize {
    // A slice's length fits in u64, and its split is below its length.
    split(len as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn split_is_the_largest_power_of_two_below_n() {
        let cases = [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (8, 4),
            (9, 8),
            (1 << 20, 1 << 19),
            (1 << 40, 1 << 39),
        ];
        for (n, k) in cases {
            assert_eq!(split(n), k, "split({n})");
        }
    }
}
