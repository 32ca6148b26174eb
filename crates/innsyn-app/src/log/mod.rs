//! The tamper-evident log's use cases: building the tree over new leaves
//! and signing checkpoints, the public key, checkpoint and consistency
//! proofs, and the proofs a citizen's export carries ([`proofs`]).

mod proofs;

pub(crate) use proofs::export_proofs;
pub use proofs::{ExportProofs, LeafProof};

use std::sync::Arc;

use innsyn_domain::InvalidParams;
use innsyn_ports::{StoredCheckpoint, TreeHead};
use innsyn_tlog::note::NoteSigner;
use innsyn_tlog::{Checkpoint, Hash, consistency_proof_in, nodes_for_consistency};

use crate::{AppError, Service};

/// How the log is built and signed (`[log]`).
#[derive(Debug, Clone)]
pub struct LogSettings {
    /// The key checkpoints and export statements are signed with; its
    /// name is the log's origin. Without one the tree is still built, but
    /// nothing is signed, and exports carry no proofs.
    pub signer: Option<Arc<NoteSigner>>,
    /// Leaves indexed per builder transaction.
    pub build_step: u32,
    /// Builder transactions per [`Service::build_log`] call, so one call
    /// stays bounded however far ingestion ran ahead.
    pub max_build_steps: u32,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            signer: None,
            build_step: 10_000,
            max_build_steps: 100,
        }
    }
}

impl Service {
    /// Builds the tree over the pending leaves (at most
    /// `max_build_steps × build_step` of them) and, with a signing key, signs
    /// and stores a checkpoint when the tree grew past the latest one.
    /// Returns the tree head.
    ///
    /// # Errors
    /// [`AppError::Store`]; a checkpoint that cannot be signed is
    /// [`AppError::Internal`].
    pub async fn build_log(&self) -> Result<TreeHead, AppError> {
        let settings = self.inner().settings.log.clone();
        let head = self
            .with_log(move |log| {
                let mut head = log.tree_head()?;
                for _ in 0..settings.max_build_steps {
                    let next = log.extend_tree(settings.build_step)?;
                    if next.size == head.size {
                        break;
                    }
                    head = next;
                }
                Ok(head)
            })
            .await?;
        let Some(signer) = self.inner().settings.log.signer.clone() else {
            return Ok(head);
        };
        self.with_log(move |log| {
            let latest = log.latest_checkpoint()?.map_or(0, |c| c.size);
            if head.size > latest {
                let note = Checkpoint {
                    origin: signer.verifier().name().to_owned(),
                    size: head.size,
                    root: head.root,
                }
                .sign(&signer)
                .map_err(|e| AppError::Internal(format!("signing a checkpoint: {e}")))?;
                log.save_checkpoint(&StoredCheckpoint {
                    size: head.size,
                    note,
                })?;
            }
            Ok(head)
        })
        .await
    }

    /// The latest signed checkpoint.
    ///
    /// # Errors
    /// [`AppError::NoCheckpoint`] when none was signed (no key, or an
    /// empty log); [`AppError::Store`].
    pub async fn log_checkpoint(&self) -> Result<StoredCheckpoint, AppError> {
        self.with_log(|log| log.latest_checkpoint()?.ok_or(AppError::NoCheckpoint))
            .await
    }

    /// The key that verifies the log's notes, in the note key format
    /// (`<origin>+<key ID>+<base64>`); `None` without a signing key.
    pub fn log_key(&self) -> Option<String> {
        let signer = self.inner().settings.log.signer.as_ref()?;
        Some(signer.verifier().to_string())
    }

    /// The RFC 9162 consistency proof from the tree of `from` leaves to the
    /// tree of `to` leaves, both within the built tree.
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] naming `from` or `to`; [`AppError::Store`].
    pub async fn log_consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>, AppError> {
        self.with_log(move |log| {
            let built = log.tree_head()?.size;
            let mut bad = InvalidParams::new();
            if to > built {
                bad.push("to", format!("must be at most the log's size, {built}"));
            }
            if from > to {
                bad.push("from", "must not be larger than to");
            }
            if !bad.is_empty() {
                return Err(bad.into());
            }
            let nodes = log.log_nodes(&nodes_for_consistency(from, to))?;
            consistency_proof_in(&nodes, from, to)
                .map_err(|e| AppError::Internal(format!("a consistency proof: {e}")))
        })
        .await
    }
}
