//! The dev issuer's private key on disk: made once, mode 0600, safe
//! against two processes starting at once.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom as _, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{DEV_KEY_FILE, DevIssuerError};

/// The private key as stored (an OKP JWK, RFC 8037).
#[derive(Serialize, Deserialize)]
pub(super) struct KeyFile {
    kty: String,
    crv: String,
    alg: String,
    kid: String,
    x: String,
    pub(super) d: String,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DevIssuerError + '_ {
    move |source| DevIssuerError::Io {
        path: path.to_owned(),
        source,
    }
}

/// RFC 7638 thumbprint of an Ed25519 public key: a stable `kid`.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

pub(super) fn random<const N: usize>() -> Result<[u8; N], DevIssuerError> {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| DevIssuerError::Random)?;
    Ok(bytes)
}

fn new_key_file() -> Result<KeyFile, DevIssuerError> {
    let seed: [u8; 32] = random()?;
    let signing = Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| DevIssuerError::Random)?;
    let x = URL_SAFE_NO_PAD.encode(signing.public_key().as_ref());
    Ok(KeyFile {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        alg: "EdDSA".into(),
        kid: thumbprint(&x),
        d: URL_SAFE_NO_PAD.encode(seed),
        x,
    })
}

/// Writes a new key unless one exists; two processes starting at once end
/// up with the same key (the loser of the `hard_link` race reads the
/// winner's).
pub(super) fn create_key_file(path: &Path) -> Result<(), DevIssuerError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let nonce: [u8; 8] = random()?;
    let tmp = dir.join(format!(
        ".{DEV_KEY_FILE}.{}.tmp",
        URL_SAFE_NO_PAD.encode(nonce)
    ));
    let body = serde_json::to_vec_pretty(&new_key_file()?)
        .map_err(|_| DevIssuerError::BadKeyFile(path.to_owned()))?;
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(&body)?;
            f.sync_all()
        });
    let linked = written.and_then(|()| fs::hard_link(&tmp, path));
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

pub(super) fn load_key_file(path: &Path) -> Result<(Ed25519KeyPair, String), DevIssuerError> {
    let bad = || DevIssuerError::BadKeyFile(path.to_owned());
    let text = fs::read(path).map_err(io_err(path))?;
    let file: KeyFile = serde_json::from_slice(&text).map_err(|_| bad())?;
    if file.kty != "OKP" || file.crv != "Ed25519" {
        return Err(bad());
    }
    let seed = URL_SAFE_NO_PAD.decode(&file.d).map_err(|_| bad())?;
    let public = URL_SAFE_NO_PAD.decode(&file.x).map_err(|_| bad())?;
    // Also checks that `x` belongs to `d`.
    let signing = Ed25519KeyPair::from_seed_and_public_key(&seed, &public).map_err(|_| bad())?;
    Ok((signing, file.kid))
}
