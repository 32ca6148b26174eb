//! `innsyn verify`: checks a citizen's JSON file offline against the log's
//! key. Each record's leaf is recomputed from its fields (the same mapping
//! the store used when it wrote the leaf) and its inclusion proof checked
//! against the signed checkpoint; the signed statement must list exactly
//! those leaves; an earlier checkpoint must be consistent with this one.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use innsyn_domain::disputes::ItemRef;
use innsyn_domain::{AccessHistoryEntry, Decision, LoginHistoryEntry, OrgNumber};
use innsyn_tlog::note::{KeyError, VerifierKey};
use innsyn_tlog::{
    Checkpoint, CheckpointError, ExportStatement, Hash, StatementError, VerifyError, decode_hash,
    verify_consistency, verify_inclusion,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::document::{ExportedAccess, ExportedLeaf, ExportedLogin, HistoryDocument};

/// An earlier checkpoint the citizen kept, and the consistency proof from
/// it to the file's checkpoint (`GET /v1/log/proof/consistency`).
#[derive(Debug, Clone, Copy)]
pub struct Earlier<'a> {
    /// The signed checkpoint note.
    pub checkpoint: &'a str,
    /// The proof; not needed when both checkpoints have the same size.
    pub proof: Option<&'a [Hash]>,
}

/// What checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The checkpoint every record was proven against.
    pub checkpoint: Checkpoint,
    /// Records proven.
    pub records: usize,
    /// The key came from the file itself, not from the caller: the file is
    /// then only as trustworthy as its own key.
    pub key_from_file: bool,
    /// The size of the earlier checkpoint found consistent, if one was given.
    pub consistent_with: Option<u64>,
}

/// Why a file does not verify, precisely enough for a person to act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyFailure {
    /// The file was exported without proofs.
    #[error("the file has no log section: it was exported without proofs")]
    NoLog,
    /// The key given (or the file's) is not a verifier key.
    #[error("the log key is not valid: {0}")]
    Key(KeyError),
    /// The checkpoint did not open with the key.
    #[error("the checkpoint: {0}")]
    Checkpoint(CheckpointError),
    /// The statement did not open with the key.
    #[error("the export statement: {0}")]
    Statement(StatementError),
    /// The statement speaks of another checkpoint or subject.
    #[error("the export statement belongs to another checkpoint or another person")]
    StatementMismatch,
    /// A record's fields cannot be read.
    #[error("{which}: {reason}")]
    BadRecord {
        /// Which record, by position in the file.
        which: String,
        /// What is wrong.
        reason: String,
    },
    /// A record carries no proof against this checkpoint.
    #[error("{0} is not covered by the file's checkpoint, so it cannot be verified")]
    NotCovered(String),
    /// A record is not in the log as the file shows it.
    #[error("{which} does not match the log (it was changed, or its proof is wrong): {reason}")]
    NotInLog {
        /// Which record.
        which: String,
        /// The proof's failure.
        reason: VerifyError,
    },
    /// The file holds other leaves than the statement lists.
    #[error(
        "the file holds {found} records with proofs, the signed statement {stated}: \
         records were removed or added"
    )]
    CountMismatch {
        /// Records with proofs in the file.
        found: u64,
        /// Leaves the statement lists.
        stated: u64,
    },
    /// Same count, other leaves.
    #[error("the records are not the ones the signed statement lists: one was swapped")]
    DigestMismatch,
    /// The earlier checkpoint did not open with the key.
    #[error("the earlier checkpoint: {0}")]
    EarlierCheckpoint(CheckpointError),
    /// The earlier checkpoint is larger than this one.
    #[error("the earlier checkpoint ({earlier} records) is larger than the file's ({now})")]
    EarlierIsLarger {
        /// Its size.
        earlier: u64,
        /// The file's size.
        now: u64,
    },
    /// No proof was given for two different sizes.
    #[error(
        "a consistency proof from {from} to {to} is needed: \
         GET /v1/log/proof/consistency?from={from}&to={to}"
    )]
    ProofNeeded {
        /// The earlier size.
        from: u64,
        /// The file's size.
        to: u64,
    },
    /// The log was rewritten between the two checkpoints.
    #[error("the log's history was rewritten since the earlier checkpoint: {0}")]
    Inconsistent(VerifyError),
}

fn bad(which: &str, reason: impl std::fmt::Display) -> VerifyFailure {
    VerifyFailure::BadRecord {
        which: which.to_owned(),
        reason: reason.to_string(),
    }
}

fn time_of(which: &str, raw: &str) -> Result<OffsetDateTime, VerifyFailure> {
    OffsetDateTime::parse(raw, &Rfc3339).map_err(|_| bad(which, "the time is not RFC 3339"))
}

fn orgno(which: &str, raw: Option<&str>) -> Result<Option<OrgNumber>, VerifyFailure> {
    raw.map(|o| OrgNumber::parse(o).map_err(|e| bad(which, e)))
        .transpose()
}

/// The record as the store read it, so its leaf is computed by the one
/// mapping every store uses ([`LoginHistoryEntry::log_entry`]).
fn login_entry(which: &str, e: &ExportedLogin) -> Result<LoginHistoryEntry, VerifyFailure> {
    let Ok(ItemRef::Login(key)) = ItemRef::parse(&e.reference) else {
        return Err(bad(which, "the ref is not a login reference"));
    };
    Ok(LoginHistoryEntry {
        key,
        occurred_at: time_of(which, &e.tidspunkt)?,
        service_name: e.tjeneste.clone(),
        eid: e.auth_eid.clone(),
        method: e.auth_method.clone(),
        client_id: e.integrasjon_id.clone(),
        orgno: orgno(which, e.orgno.as_deref())?,
    })
}

fn access_entry(which: &str, r: &ExportedAccess) -> Result<AccessHistoryEntry, VerifyFailure> {
    Ok(AccessHistoryEntry {
        id: r.id,
        occurred_at: time_of(which, &r.timestamp)?,
        application: r.application.clone(),
        client_id: r.client_id.clone(),
        resource: r.resource.clone(),
        resource_urn: r.resource_urn.clone(),
        action: r.action.clone(),
        purpose: r.purpose.clone(),
        decision: Decision::parse(&r.decision).map_err(|e| bad(which, e))?,
        orgno: orgno(which, r.orgno.as_deref())?,
    })
}

fn proof_of(which: &str, leaf: &ExportedLeaf) -> Result<Vec<Hash>, VerifyFailure> {
    leaf.proof
        .iter()
        .map(|h| decode_hash(h).ok_or_else(|| bad(which, "a proof hash is not base64 of 32 bytes")))
        .collect()
}

/// Checks `doc` against `key` (the published one; without it, the file's
/// own key, which the verdict then says), and against `earlier`.
///
/// # Errors
/// The first [`VerifyFailure`] found.
pub fn verify_export(
    doc: &HistoryDocument,
    key: Option<&VerifierKey>,
    earlier: Option<Earlier<'_>>,
) -> Result<Verdict, VerifyFailure> {
    let log = doc.log.as_ref().ok_or(VerifyFailure::NoLog)?;
    let key_from_file = key.is_none();
    let own_key;
    let key = match key {
        Some(k) => k,
        None => {
            own_key = log.key.parse::<VerifierKey>().map_err(VerifyFailure::Key)?;
            &own_key
        }
    };
    let checkpoint =
        Checkpoint::open(log.checkpoint.as_bytes(), key).map_err(VerifyFailure::Checkpoint)?;
    let statement =
        ExportStatement::open(log.statement.as_bytes(), key).map_err(VerifyFailure::Statement)?;
    let subject_key = STANDARD
        .decode(&log.subject_key)
        .map_err(|_| bad("the log section", "the subject key is not base64"))?;
    if statement.size != checkpoint.size || statement.subject_key != subject_key {
        return Err(VerifyFailure::StatementMismatch);
    }
    let mut proven = Vec::new();
    let mut check = |which: String, leaf_hash: Hash, leaf: Option<&ExportedLeaf>| {
        let leaf = leaf.ok_or_else(|| VerifyFailure::NotCovered(which.clone()))?;
        let proof = proof_of(&which, leaf)?;
        verify_inclusion(
            leaf.index,
            checkpoint.size,
            &leaf_hash,
            &proof,
            &checkpoint.root,
        )
        .map_err(|reason| VerifyFailure::NotInLog { which, reason })?;
        proven.push((leaf.index, leaf_hash));
        Ok::<_, VerifyFailure>(())
    };
    for (i, e) in doc.login_events.iter().enumerate() {
        let which = format!("login {} ({})", i + 1, e.tidspunkt);
        let entry = login_entry(&which, e)?;
        check(
            which,
            entry.log_entry(&subject_key).leaf_hash(),
            e.log.as_ref(),
        )?;
    }
    for (i, r) in doc.access_history.iter().enumerate() {
        let which = format!("look-up {} ({})", i + 1, r.timestamp);
        let entry = access_entry(&which, r)?;
        check(
            which,
            entry.log_entry(&subject_key).leaf_hash(),
            r.log.as_ref(),
        )?;
    }
    let found = proven.len() as u64;
    if found != statement.count {
        return Err(VerifyFailure::CountMismatch {
            found,
            stated: statement.count,
        });
    }
    if ExportStatement::digest(&proven) != statement.digest {
        return Err(VerifyFailure::DigestMismatch);
    }
    let consistent_with = earlier
        .map(|e| consistent(e, key, &checkpoint))
        .transpose()?;
    Ok(Verdict {
        checkpoint,
        records: proven.len(),
        key_from_file,
        consistent_with,
    })
}

fn consistent(
    earlier: Earlier<'_>,
    key: &VerifierKey,
    now: &Checkpoint,
) -> Result<u64, VerifyFailure> {
    let old = Checkpoint::open(earlier.checkpoint.as_bytes(), key)
        .map_err(VerifyFailure::EarlierCheckpoint)?;
    if old.size > now.size {
        return Err(VerifyFailure::EarlierIsLarger {
            earlier: old.size,
            now: now.size,
        });
    }
    let proof = match earlier.proof {
        Some(p) => p,
        None if old.size == now.size || old.size == 0 => &[],
        None => {
            return Err(VerifyFailure::ProofNeeded {
                from: old.size,
                to: now.size,
            });
        }
    };
    verify_consistency(old.size, now.size, &old.root, &now.root, proof)
        .map_err(VerifyFailure::Inconsistent)?;
    Ok(old.size)
}
