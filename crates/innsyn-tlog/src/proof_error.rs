//! Why a proof could not be built or did not verify. A verifier reports the
//! reason to a citizen, so each failure has its own variant.

use thiserror::Error;

/// A proof was asked for something the tree does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProveError {
    /// The leaf index is not below the tree size.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    IndexOutOfRange {
        /// The leaf asked for.
        index: u64,
        /// The number of leaves in the tree.
        size: u64,
    },
    /// The older tree size is larger than the tree.
    #[error("a tree of {size} leaves has no earlier tree of {old_size} leaves")]
    OldSizeOutOfRange {
        /// The older size asked for.
        old_size: u64,
        /// The number of leaves in the tree.
        size: u64,
    },
    /// The store holds no hash for a complete subtree the proof needs: the
    /// tree was not built that far, or the store lost it.
    #[error("no stored hash for the subtree at level {level}, index {index}")]
    MissingNode {
        /// The subtree's level (0 for a leaf).
        level: u8,
        /// Its index on that level.
        index: u64,
    },
}

/// An inclusion or consistency proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// The leaf index is not below the tree size.
    #[error("leaf {index} cannot be in a tree of {size} leaves")]
    IndexOutOfRange {
        /// The claimed leaf index.
        index: u64,
        /// The claimed tree size.
        size: u64,
    },
    /// The older tree is larger than the newer one.
    #[error("the older tree ({old_size} leaves) is larger than the newer ({new_size})")]
    SizesOutOfOrder {
        /// The claimed older size.
        old_size: u64,
        /// The claimed newer size.
        new_size: u64,
    },
    /// The proof has more hashes than the tree sizes call for.
    #[error("the proof has more hashes than the tree sizes call for")]
    ProofTooLong,
    /// The proof has fewer hashes than the tree sizes call for.
    #[error("the proof has fewer hashes than the tree sizes call for")]
    ProofTooShort,
    /// The proof, the leaf or the root was changed: the recomputed root differs.
    #[error("the recomputed root does not match the claimed root")]
    RootMismatch,
    /// A consistency proof does not lead back to the older root.
    #[error("the proof does not lead back to the older root")]
    OldRootMismatch,
}
