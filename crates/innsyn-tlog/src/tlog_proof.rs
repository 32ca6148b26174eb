//! C2SP tlog-proofs (<https://c2sp.org/tlog-proof>): one entry's index and
//! inclusion proof with the signed checkpoint it is proven against, as one
//! text a citizen can keep and check offline.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use thiserror::Error;

use crate::checkpoint::{Checkpoint, CheckpointError, parse_decimal};
use crate::hash::Hash;
use crate::inclusion::verify_inclusion;
use crate::note::VerifierKey;
use crate::proof_error::VerifyError;

const HEADER: &str = "c2sp.org/tlog-proof@v1";

/// A parsed tlog-proof; [`TlogProof::verify`] checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated data for the application (never trusted).
    pub extra: Option<Vec<u8>>,
    /// The entry's 0-based leaf index.
    pub index: u64,
    /// The inclusion proof, from the leaf's sibling up.
    pub proof: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: String,
}

/// A tlog-proof that is malformed or does not prove the entry.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TlogProofError {
    /// The first line is not `c2sp.org/tlog-proof@v1`.
    #[error("not a c2sp.org/tlog-proof@v1")]
    NotATlogProof,
    /// The `extra` line's data is not base64.
    #[error("the extra data is not valid base64")]
    BadExtra,
    /// No `index <n>` line, or not a decimal without leading zeros.
    #[error("no valid 'index' line")]
    BadIndex,
    /// A proof line is not base64 of a 32-byte hash.
    #[error("proof line {line} is not base64 of a 32-byte hash")]
    BadProofHash {
        /// 1-based among the proof lines.
        line: usize,
    },
    /// No blank line followed by the checkpoint.
    #[error("no checkpoint after the proof")]
    MissingCheckpoint,
    /// The checkpoint is malformed or not signed by the trusted key.
    #[error("{0}")]
    Checkpoint(#[from] CheckpointError),
    /// The entry is not at that index in the checkpointed tree.
    #[error("inclusion proof: {0}")]
    Inclusion(#[from] VerifyError),
}

impl TlogProof {
    /// The text form.
    pub fn to_text(&self) -> String {
        let mut text = format!("{HEADER}\n");
        if let Some(extra) = &self.extra {
            text += &format!("extra {}\n", STANDARD.encode(extra));
        }
        text += &format!("index {}\n", self.index);
        for hash in &self.proof {
            text += &format!("{}\n", STANDARD.encode(hash));
        }
        format!("{text}\n{}", self.checkpoint)
    }

    /// Parses the text form; the checkpoint is kept as text, unchecked.
    ///
    /// # Errors
    /// The [`TlogProofError`] naming the malformed part.
    pub fn parse(text: &str) -> Result<Self, TlogProofError> {
        // Proof lines are never empty: the first blank line ends them.
        let (head, checkpoint) = text
            .split_once("\n\n")
            .ok_or(TlogProofError::MissingCheckpoint)?;
        let mut lines = head.split('\n').peekable();
        if lines.next() != Some(HEADER) {
            return Err(TlogProofError::NotATlogProof);
        }
        let extra = match lines.next_if(|l| l.starts_with("extra ")) {
            Some(line) => Some(
                STANDARD
                    .decode(&line[6..])
                    .map_err(|_| TlogProofError::BadExtra)?,
            ),
            None => None,
        };
        let index = lines
            .next()
            .and_then(|l| l.strip_prefix("index "))
            .and_then(parse_decimal)
            .ok_or(TlogProofError::BadIndex)?;
        let proof = lines
            .enumerate()
            .map(|(i, line)| {
                let bytes = STANDARD.decode(line).ok();
                bytes
                    .and_then(|b| Hash::try_from(b).ok())
                    .ok_or(TlogProofError::BadProofHash { line: i + 1 })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            extra,
            index,
            proof,
            checkpoint: checkpoint.to_owned(),
        })
    }

    /// The checkpoint, if `key` signed it and `leaf` is at the index in it.
    ///
    /// # Errors
    /// [`TlogProofError::Checkpoint`] or [`TlogProofError::Inclusion`].
    pub fn verify(&self, leaf: &Hash, key: &VerifierKey) -> Result<Checkpoint, TlogProofError> {
        let checkpoint = Checkpoint::open(self.checkpoint.as_bytes(), key)?;
        verify_inclusion(
            self.index,
            checkpoint.size,
            leaf,
            &self.proof,
            &checkpoint.root,
        )?;
        Ok(checkpoint)
    }
}
