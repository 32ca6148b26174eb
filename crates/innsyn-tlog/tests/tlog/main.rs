//! The tamper-evident log's maths and formats against published vectors,
//! property tests over random trees, and the signed-note failure modes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod checkpoint;
mod frontier;
mod note_keys;
mod note_sign;
mod proof_props;
mod rfc9162;
mod rfc9162_verify;
mod stored;
mod support;
mod tlog_proof;
