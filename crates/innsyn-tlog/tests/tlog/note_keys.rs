//! Verifier and signer key texts: Go's reference keys parse and print back,
//! and every mangling of them is refused (a port of `TestNewVerifier` and
//! `TestNewSigner` from golang.org/x/mod/sumdb/note `note_test.go`).

use innsyn_tlog::note::{KeyError, NoteSigner, VerifierKey, key_id};

use crate::note_sign::{PETER_SKEY, PETER_VKEY};

/// Every proper substring of `key`, and `key` with each byte incremented.
fn manglings(key: &str) -> Vec<Vec<u8>> {
    let b = key.as_bytes();
    let mut out = Vec::new();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if i != 0 || j != b.len() {
                out.push(b[i..j].to_vec());
            }
        }
    }
    for i in 0..b.len() {
        let mut changed = b.to_vec();
        changed[i] = changed[i].wrapping_add(1);
        out.push(changed);
    }
    out
}

#[test]
fn the_reference_verifier_key_parses_and_prints_back() {
    let key: VerifierKey = PETER_VKEY.parse().unwrap();
    assert_eq!((key.name(), key.id()), ("PeterNeumann", 0xc74f20a3));
    assert_eq!(key_id(key.name(), key.public_key()), 0xc74f20a3);
    assert_eq!(key.to_string(), PETER_VKEY);
}

#[test]
fn every_mangled_verifier_key_is_refused() {
    for bad in manglings(PETER_VKEY) {
        let Ok(text) = String::from_utf8(bad) else {
            continue;
        };
        assert!(text.parse::<VerifierKey>().is_err(), "accepted {text:?}");
    }
}

#[test]
fn every_mangled_signer_key_is_refused() {
    for bad in manglings(PETER_SKEY) {
        let Ok(text) = String::from_utf8(bad) else {
            continue;
        };
        assert!(
            NoteSigner::from_private_key(&text).is_err(),
            "accepted {text:?}"
        );
    }
}

#[test]
fn malformed_keys_say_what_is_wrong() {
    let cases = [
        ("PeterNeumann+c74f20a3", KeyError::NotAKey),
        (
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::BadName,
        ),
        (
            "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::BadKeyId,
        ),
        (
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
            KeyError::BadBase64,
        ),
        ("PeterNeumann+c74f20a3+AQAA", KeyError::WrongLength(3)),
        // Go's own two. Its decoder ignores the stray low bits of the `Y` in
        // `BADKEY==` and calls the key too long; ours refuses the base64.
        (
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            KeyError::BadBase64,
        ),
        (
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::UnsupportedType(0x65),
        ),
        (
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            KeyError::KeyIdMismatch {
                stated: 0xc74f20a4,
                computed: 0xc74f20a3,
            },
        ),
    ];
    for (text, want) in cases {
        assert_eq!(text.parse::<VerifierKey>(), Err(want), "{text}");
    }
    assert_eq!(
        NoteSigner::from_private_key(PETER_VKEY).err(),
        Some(KeyError::NotAKey)
    );
}
