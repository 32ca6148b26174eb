//! The two hashes of RFC 9162 §2.1.1. The one-byte prefixes keep a leaf from
//! ever being passed off as an interior node (the second-preimage attack
//! the RFC describes).

use sha2::{Digest, Sha256};

/// Length of every hash in the tree (SHA-256).
pub const HASH_LEN: usize = 32;

/// A leaf hash, an interior node hash or a root.
pub type Hash = [u8; HASH_LEN];

/// The root of the empty tree: `SHA-256()` of no input (RFC 9162 §2.1.1).
pub const EMPTY_ROOT: Hash = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// `SHA-256(0x00 || data)`: the hash of one log entry.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// A hash written in standard base64 (as proofs travel in JSON), or
/// `None` when it is not base64 of 32 bytes.
pub fn decode_hash(b64: &str) -> Option<Hash> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Hash::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_root_is_sha256_of_nothing() {
        let digest: Hash = Sha256::digest([]).into();
        assert_eq!(digest, EMPTY_ROOT);
    }
}
