//! Starting a [`Provider`]: port, keys, log, environment.

use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use super::{KillOnDrop, PROVIDER_ENV, Provider, ensure_node_modules, node, provider_dir};

/// How to start a [`Provider`]: [`Provider::builder`].
#[derive(Debug, Default)]
#[must_use]
pub struct ProviderBuilder {
    port: u16,
    key_file: Option<PathBuf>,
    log_file: Option<PathBuf>,
    env: Vec<(String, String)>,
}

impl ProviderBuilder {
    /// Listens on `port` (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Uses the keys in `key_file`, made there if missing (default: new
    /// keys in a temporary folder).
    pub fn key_file(mut self, key_file: &Path) -> Self {
        self.key_file = Some(key_file.to_owned());
        self
    }

    /// Writes the provider's stderr to `log_file` (default: a temporary
    /// folder; see [`Provider::log`]).
    pub fn log_file(mut self, log_file: &Path) -> Self {
        self.log_file = Some(log_file.to_owned());
        self
    }

    /// Sets one more environment variable of the provider (`HOST`,
    /// `ISSUER`, `EXTRA_REDIRECT_URIS`, `PKJWT_CLIENT_JWKS`, or `PORT`,
    /// which wins over [`Self::port`]).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Starts the provider and waits (60 s at most) for its ready line.
    ///
    /// # Panics
    /// When node or npm is missing or the provider does not start.
    #[must_use]
    pub fn start(self) -> Provider {
        ensure_node_modules();
        let dir = tempfile::tempdir().expect("temp dir");
        let key_file = self
            .key_file
            .unwrap_or_else(|| dir.path().join("keys.json"));
        let log_file = self
            .log_file
            .unwrap_or_else(|| dir.path().join("provider.log"));
        let log = File::create(&log_file).expect("provider log file");
        let mut command = Command::new(node());
        command.arg("provider.mjs").current_dir(provider_dir());
        for key in PROVIDER_ENV {
            command.env_remove(key);
        }
        command
            .env("PORT", self.port.to_string())
            .env("KEY_FILE", &key_file)
            .envs(self.env)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = command
            .spawn()
            .expect("node must be installed to run the OpenID provider");
        let stdout = child.stdout.take().expect("piped stdout");
        let child = KillOnDrop(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep the pipe open (and drained) while the provider runs.
            let mut sink = String::new();
            while reader.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let Ok(ready) = serde_json::from_str::<Value>(&line) else {
            drop(child);
            panic!(
                "the provider did not start (stdout {line:?}):\n{}",
                std::fs::read_to_string(&log_file).unwrap_or_default()
            );
        };
        Provider {
            child,
            issuer: ready["issuer"].as_str().expect("issuer").to_owned(),
            port: u16::try_from(ready["port"].as_u64().expect("port")).expect("port"),
            key_file,
            log_file,
            _dir: dir,
        }
    }
}
