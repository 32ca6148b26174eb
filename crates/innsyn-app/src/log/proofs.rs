//! What makes a citizen's export verifiable offline: for each record in
//! the log, its leaf index and inclusion proof against one signed
//! checkpoint, and a signed statement of exactly which leaves the export
//! holds (so a dropped or added record is found).

use std::collections::{BTreeSet, HashMap};

use innsyn_domain::disputes::ItemRef;
use innsyn_domain::{AccessHistoryEntry, LoginHistoryEntry, SubjectId};
use innsyn_ports::LogStore;
use innsyn_tlog::note::NoteSigner;
use innsyn_tlog::{ExportStatement, Hash, NodeId, inclusion_proof_in, nodes_for_inclusion};

use crate::AppError;

/// One record's place in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafProof {
    /// The leaf's index.
    pub index: u64,
    /// Its inclusion proof in the checkpoint's tree.
    pub proof: Vec<Hash>,
}

/// The proofs of one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportProofs {
    /// The key that verifies the notes, in note key format.
    pub key: String,
    /// The signed checkpoint every proof leads to.
    pub checkpoint: String,
    /// The signed [`ExportStatement`] over the leaves below.
    pub statement: String,
    /// The subject's keyed hash, as the leaves encode it.
    pub subject_key: Vec<u8>,
    /// The records of the export that the checkpoint covers.
    pub leaves: HashMap<ItemRef, LeafProof>,
}

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("{what}: {e}"))
}

/// The proofs for `logins` and `access` of `subject` against the latest
/// checkpoint; `None` when no checkpoint was signed. A record without a
/// leaf in that checkpoint (stored before the log, or after the
/// checkpoint) is left out; the verifier reports it.
pub(crate) fn export_proofs(
    log: &dyn LogStore,
    signer: &NoteSigner,
    subject: &SubjectId,
    logins: &[LoginHistoryEntry],
    access: &[AccessHistoryEntry],
) -> Result<Option<ExportProofs>, AppError> {
    let Some(checkpoint) = log.latest_checkpoint()? else {
        return Ok(None);
    };
    let size = checkpoint.size;
    let leaves = log.subject_leaves(subject)?;
    let Some(subject_key) = leaves.first().map(|l| l.subject_key.clone()) else {
        return Ok(None);
    };
    let exported: BTreeSet<ItemRef> = logins
        .iter()
        .map(|e| ItemRef::Login(e.key.clone()))
        .chain(access.iter().map(|e| ItemRef::Access(e.id)))
        .collect();
    // Leaves of another subject key (written before a key rotation) are
    // not covered by this statement.
    let covered: Vec<(ItemRef, u64)> = leaves
        .into_iter()
        .filter(|l| l.subject_key == subject_key && exported.contains(&l.item))
        .filter_map(|l| Some((l.item, l.index.filter(|i| *i < size)?)))
        .collect();
    let mut ids: BTreeSet<NodeId> = BTreeSet::new();
    for (_, index) in &covered {
        ids.insert(NodeId::new(0, *index));
        ids.extend(nodes_for_inclusion(*index, size));
    }
    let nodes = log.log_nodes(&ids.into_iter().collect::<Vec<_>>())?;
    let mut out = HashMap::with_capacity(covered.len());
    let mut signed = Vec::with_capacity(covered.len());
    for (item, index) in covered {
        let leaf = nodes
            .get(&NodeId::new(0, index))
            .ok_or_else(|| internal("a leaf of the export", "missing"))?;
        let proof = inclusion_proof_in(&nodes, index, size)
            .map_err(|e| internal("an inclusion proof", e))?;
        signed.push((index, *leaf));
        out.insert(item, LeafProof { index, proof });
    }
    let origin = signer.verifier().name();
    let statement = ExportStatement::over(origin, size, &subject_key, &signed)
        .sign(signer)
        .map_err(|e| internal("signing an export statement", e))?;
    Ok(Some(ExportProofs {
        key: signer.verifier().to_string(),
        checkpoint: checkpoint.note,
        statement,
        subject_key,
        leaves: out,
    }))
}
