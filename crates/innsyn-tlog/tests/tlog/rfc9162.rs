//! The reference vectors of the RFC 6962 / RFC 9162 Merkle tree.
//!
//! Source: transparency-dev/merkle, `proof/verify_test.go` (the vectors of
//! the certificate-transparency Go and C++ reference implementations,
//! carried over to Trillian and then transparency-dev): eight leaves, the
//! roots of the trees of sizes 1 to 8, four inclusion and five consistency
//! proofs. There the leaf of an inclusion vector is 1-based; here 0-based.

use innsyn_tlog::{ProveError, consistency_proof, inclusion_proof, leaf_hash, root};

use crate::support::{bytes, hash};

const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// ROOTS[i] is the root of the first i + 1 leaves.
pub(crate) const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

const H_96A2: &str = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
const H_5F08: &str = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
const H_6B47: &str = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";
const H_BC1A: &str = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
const H_CA85: &str = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
const H_0EBC: &str = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";
const H_B086: &str = "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f";

/// (leaf index, tree size, proof).
pub(crate) const INCLUSION: [(u64, u64, &[&str]); 5] = [
    (0, 1, &[]),
    (0, 8, &[H_96A2, H_5F08, H_6B47]),
    (5, 8, &[H_BC1A, H_CA85, ROOTS[3]]),
    (2, 3, &[ROOTS[1]]),
    (1, 5, &[ROOTS[0], H_5F08, H_BC1A]),
];

/// (old size, new size, proof).
pub(crate) const CONSISTENCY: [(u64, u64, &[&str]); 5] = [
    (1, 1, &[]),
    (1, 8, &[H_96A2, H_5F08, H_6B47]),
    (6, 8, &[H_0EBC, H_CA85, ROOTS[3]]),
    (2, 5, &[H_5F08, H_BC1A]),
    (6, 7, &[H_0EBC, H_B086, ROOTS[3]]),
];

pub(crate) fn leaves() -> Vec<innsyn_tlog::Hash> {
    LEAVES.iter().map(|l| leaf_hash(&bytes(l))).collect()
}

#[test]
fn roots_of_sizes_one_to_eight() {
    let leaves = leaves();
    for (i, want) in ROOTS.iter().enumerate() {
        assert_eq!(root(&leaves[..=i]), hash(want), "root of {} leaves", i + 1);
    }
}

#[test]
fn inclusion_proofs_are_the_published_ones() {
    let leaves = leaves();
    for (index, size, want) in INCLUSION {
        let got = inclusion_proof(&leaves[..size as usize], index).unwrap();
        let want: Vec<_> = want.iter().map(|h| hash(h)).collect();
        assert_eq!(got, want, "inclusion of leaf {index} in {size}");
    }
}

#[test]
fn consistency_proofs_are_the_published_ones() {
    let leaves = leaves();
    for (old, new, want) in CONSISTENCY {
        let got = consistency_proof(&leaves[..new as usize], old).unwrap();
        let want: Vec<_> = want.iter().map(|h| hash(h)).collect();
        assert_eq!(got, want, "consistency {old} -> {new}");
    }
}

#[test]
fn proofs_of_what_the_tree_does_not_hold_are_refused() {
    let leaves = leaves();
    let past_the_end = ProveError::IndexOutOfRange { index: 8, size: 8 };
    assert_eq!(inclusion_proof(&leaves, 8), Err(past_the_end));
    let empty = ProveError::IndexOutOfRange { index: 0, size: 0 };
    assert_eq!(inclusion_proof(&[], 0), Err(empty));
    let larger = ProveError::OldSizeOutOfRange {
        old_size: 9,
        size: 8,
    };
    assert_eq!(consistency_proof(&leaves, 9), Err(larger));
    assert_eq!(consistency_proof(&leaves, 0), Ok(vec![]));
    assert_eq!(consistency_proof(&leaves, 8), Ok(vec![]));
}
