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

    /// Freezes the postmaster and every backend (SIGSTOP), as a hung
    /// machine would: connections stay open, the kernel still acknowledges
    /// what is sent, nothing answers. [`TempCluster::resume_server`] thaws it.
    pub fn pause_server(&self) {
        assert!(self.signal_all("STOP"), "could not SIGSTOP the server");
    }

    /// Thaws a server frozen by [`TempCluster::pause_server`] (SIGCONT).
    pub fn resume_server(&self) {
        assert!(self.signal_all("CONT"), "could not SIGCONT the server");
    }

    /// The postmaster's process id, from its pid file, while it runs.
    pub fn postmaster_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("data").join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// Sends `signal` to the postmaster and its children; false when no
    /// server runs or `kill` failed.
    fn signal_all(&self, signal: &str) -> bool {
        let Some(postmaster) = self.postmaster_pid() else {
            return false;
        };
        let mut pids = vec![postmaster];
        pids.extend(children(postmaster));
        Command::new("kill")
            .arg(format!("-{signal}"))
            .args(pids.iter().map(u32::to_string))
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The admin URL (`postgres` database, trust auth).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

/// The processes whose parent is `parent` (PostgreSQL's backends and
/// auxiliary processes are all children of the postmaster).
fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let after = stat.rsplit_once(')')?.1;
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        // A frozen server ignores the stop request; thaw it first.
        self.signal_all("CONT");
        self.kill_server();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
