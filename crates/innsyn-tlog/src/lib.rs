//! The tamper-evident log of innsyn, as pure functions and types (no I/O).
//!
//! - [`leaf_hash`], [`node_hash`] and [`root`]: the Merkle Tree Hash of
//!   RFC 9162 §2.1.1 over SHA-256.
//! - [`inclusion_proof`] / [`verify_inclusion`] (RFC 9162 §2.1.3) and
//!   [`consistency_proof`] / [`verify_consistency`] (§2.1.4).
//! - [`Frontier`]: the root of a growing tree in O(log n) per leaf, and
//!   the interior nodes each leaf completes.
//! - [`root_in`], [`inclusion_proof_in`], [`consistency_proof_in`]: the same
//!   over stored complete-subtree hashes ([`NodeSource`]), O(log n) reads.
//! - [`LoginEntry`] / [`AccessEntry`]: what a leaf commits to.
//! - [`note`]: C2SP signed notes with Ed25519 (<https://c2sp.org/signed-note>).
//! - [`Checkpoint`]: the C2SP tree head (<https://c2sp.org/tlog-checkpoint>).
//! - [`ExportStatement`]: the log's signed word on which leaves an export
//!   holds, so a dropped or added record is found.
//! - [`TlogProof`]: one entry's proof with its checkpoint
//!   (<https://c2sp.org/tlog-proof>).
//!
//! The store appends leaves and serves the proofs; a citizen's verifier
//! needs only this crate to check them offline.

mod checkpoint;
mod consistency;
mod entry;
mod frontier;
mod hash;
mod inclusion;
mod node;
pub mod note;
mod proof_error;
mod statement;
mod stored;
mod tlog_proof;
mod tree;
mod walk;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use consistency::{consistency_proof, verify_consistency};
pub use entry::{AccessEntry, LoginEntry};
pub use frontier::{Frontier, FrontierError};
pub use hash::{EMPTY_ROOT, HASH_LEN, Hash, decode_hash, leaf_hash, node_hash};
pub use inclusion::{inclusion_proof, verify_inclusion};
pub use node::{NodeId, NodeSource};
pub use proof_error::{ProveError, VerifyError};
pub use statement::{ExportStatement, StatementError};
pub use stored::{
    consistency_proof_in, inclusion_proof_in, nodes_for_consistency, nodes_for_inclusion,
    nodes_for_root, root_in,
};
pub use tlog_proof::{TlogProof, TlogProofError};
pub use tree::root;
