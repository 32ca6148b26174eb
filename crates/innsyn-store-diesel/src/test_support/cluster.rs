//! Throwaway PostgreSQL clusters, for tests that kill the server.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PostgreSQL cluster of its own in a temporary directory, for tests
/// that stop and start the server. Runs as `postgres` when we are root
/// (initdb refuses root). Stopped and removed on drop.
#[derive(Debug)]
pub struct TempCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

fn postgres_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

impl TempCluster {
    /// initdb and start on a free port.
    pub fn start() -> Self {
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let dir = std::env::temp_dir().join(format!("innsyn-pg-{}", uuid::Uuid::new_v4().simple()));
        let mut install = Command::new("install");
        install.arg("-d");
        if as_postgres {
            install.args(["-o", "postgres"]);
        }
        assert!(install.arg(&dir).status().expect("install -d").success());
        let c = TempCluster {
            bin: postgres_bin(),
            dir,
            port: free_port(),
            as_postgres,
        };
        let data = c.dir.join("data");
        c.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        c.start_server();
        c
    }

    fn run(&self, tool: &str, args: &[&str]) -> bool {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = cmd.args(args).output().expect("run a PostgreSQL tool");
        out.status.success()
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    pub fn start_server(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
            self.port,
            path(&self.dir)
        );
        let data = self.dir.join("data");
        let log = self.dir.join("server.log");
        assert!(
            self.run(
                "pg_ctl",
                &[
                    "-D",
                    path(&data),
                    "-l",
                    path(&log),
                    "-w",
                    "-o",
                    &opts,
                    "start"
                ]
            ),
            "pg_ctl start failed; see {}",
            log.display()
        );
    }

    /// Kills the server at once (no clean shutdown), as a crash would.
    pub fn kill_server(&self) {
        let data = self.dir.join("data");
        self.run(
            "pg_ctl",
            &["-D", path(&data), "-m", "immediate", "-w", "stop"],
        );
    }

    /// The admin URL (`postgres` database, trust auth).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        self.kill_server();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
