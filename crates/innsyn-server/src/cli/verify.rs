//! `innsyn verify` and `innsyn log-key`: a citizen's offline check of an
//! exported file, and an operator's new signing key. Neither reads the
//! configuration nor touches the network.

use std::path::{Path, PathBuf};

use innsyn_app::citizen::{Earlier, HistoryDocument, Verdict, verify_export};
use innsyn_tlog::note::{NoteSigner, VerifierKey};
use innsyn_tlog::{Hash, decode_hash};
use serde::Deserialize;

use super::Fatal;

/// What `innsyn verify` was given.
#[derive(Debug)]
pub struct VerifyArgs {
    /// The exported JSON file.
    pub file: PathBuf,
    /// The published key, or a file holding it.
    pub key: Option<String>,
    /// An earlier export, or a checkpoint saved from `/v1/log/checkpoint`.
    pub previous: Option<PathBuf>,
    /// The answer of `/v1/log/proof/consistency` between the two.
    pub consistency: Option<PathBuf>,
}

fn read(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))
}

fn key_of(arg: &str) -> Result<VerifierKey, Fatal> {
    let text = match Path::new(arg).is_file() {
        true => read(Path::new(arg))?,
        false => arg.to_owned(),
    };
    text.trim()
        .parse()
        .map_err(|e| Fatal(format!("--key is not a log key: {e}")))
}

/// An earlier export's checkpoint, or the checkpoint note itself.
fn earlier_checkpoint(path: &Path) -> Result<String, Fatal> {
    let text = read(path)?;
    match serde_json::from_str::<HistoryDocument>(&text) {
        Ok(doc) => doc.log.map(|l| l.checkpoint).ok_or_else(|| {
            Fatal(format!(
                "{} is an export without proofs: it holds no checkpoint",
                path.display()
            ))
        }),
        Err(_) => Ok(text),
    }
}

#[derive(Deserialize)]
struct ConsistencyFile {
    proof: Vec<String>,
}

fn proof_of(path: &Path) -> Result<Vec<Hash>, Fatal> {
    let file: ConsistencyFile = serde_json::from_str(&read(path)?).map_err(|e| {
        Fatal(format!(
            "{} is not a consistency proof: {e}",
            path.display()
        ))
    })?;
    file.proof
        .iter()
        .map(|h| {
            decode_hash(h).ok_or_else(|| {
                Fatal(format!(
                    "{}: a hash is not base64 of 32 bytes",
                    path.display()
                ))
            })
        })
        .collect()
}

/// Checks the file; `Ok` holds the verdict's text, `Err` the reason it
/// failed (the process then exits non-zero).
pub fn verify(args: &VerifyArgs) -> Result<String, Fatal> {
    let doc: HistoryDocument = serde_json::from_str(&read(&args.file)?).map_err(|e| {
        Fatal(format!(
            "NOT VERIFIED: {} is not an innsyn export: {e}",
            args.file.display()
        ))
    })?;
    let key = args.key.as_deref().map(key_of).transpose()?;
    let previous = args
        .previous
        .as_deref()
        .map(earlier_checkpoint)
        .transpose()?;
    let proof = args.consistency.as_deref().map(proof_of).transpose()?;
    let earlier = previous.as_deref().map(|checkpoint| Earlier {
        checkpoint,
        proof: proof.as_deref(),
    });
    let verdict = verify_export(&doc, key.as_ref(), earlier)
        .map_err(|e| Fatal(format!("NOT VERIFIED: {e}")))?;
    Ok(report(&verdict, doc.log.as_ref().map(|l| l.key.as_str())))
}

fn report(v: &Verdict, file_key: Option<&str>) -> String {
    let mut out = format!(
        "VERIFIED: all {} records in this file are in the log {} as they are written here, \
         and the file holds exactly the records the log signed for it (tree of {} records).\n",
        v.records, v.checkpoint.origin, v.checkpoint.size
    );
    if let Some(size) = v.consistent_with {
        out.push_str(&format!(
            "The log still holds your earlier checkpoint of {size} records unchanged: \
             nothing in it was rewritten or removed since.\n"
        ));
    }
    if v.key_from_file {
        out.push_str(&format!(
            "Note: the key came from the file itself. Compare it with the key the service \
             publishes at /v1/log/key, or pass that key with --key:\n  {}\n",
            file_key.unwrap_or_default()
        ));
    }
    out
}

/// A new signing key for `origin`, and its verifier key.
pub fn new_key(origin: &str) -> Result<String, Fatal> {
    let (signer, private) = NoteSigner::generate(origin)
        .map_err(|e| Fatal(format!("cannot make a key for {origin:?}: {e}")))?;
    Ok(format!(
        "# log.signing_key (keep it secret, e.g. INNSYN__LOG__SIGNING_KEY):\n{private}\n\
         # the verifier key (publish it; GET /v1/log/key serves it):\n{}\n",
        signer.verifier()
    ))
}
