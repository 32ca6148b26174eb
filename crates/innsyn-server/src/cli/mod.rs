//! The command line: `serve`, `consume`, `migrate`, `import`, `config`, `dev`,
//! `token`, `verify`, `log-key`.
//! Each command reads the configuration and hands over to the composition
//! root ([`crate::root`]); none names an adapter itself.

pub mod import;
mod logging;
pub mod verify;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config;
use crate::root::{self, Application};
use logging::init_logging;

/// innsyn: who logged in as me, and who accessed my data.
#[derive(Debug, Parser)]
#[command(name = "innsyn", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: ./innsyn.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A shipped profile: prod, ver2, yt2 or local [env: INNSYN_PROFILE].
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API with the configured store and token validation.
    Serve,
    /// Apply pending migrations to the configured database and exit.
    Migrate,
    /// Consume ID-porten's activity topic (`[kafka]`) into the login history
    /// until SIGTERM; offsets are committed only after each batch is durable.
    Consume {
        /// Instead: fetch every dead letter's message again and take it
        /// (after a fix or a config change), then exit.
        #[arg(long)]
        replay_dead_letters: bool,
    },
    /// Bulk-load NDJSON login events (one ActivityRecord per line), idempotently.
    Import {
        /// The NDJSON file (`-` for standard input).
        file: PathBuf,
        /// Events per transaction.
        #[arg(long, default_value_t = 5000)]
        batch_size: usize,
    },
    /// Print the effective configuration, secrets redacted.
    Config,
    /// Run a self-contained dev server: SQLite, demo data, a local token issuer, loopback only.
    Dev {
        /// Where the SQLite database and the dev issuer key live.
        #[arg(long, default_value = "./innsyn-data")]
        data_dir: PathBuf,
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print one access token from the dev issuer of a data directory (dev mode only).
    Token {
        /// The data directory of `innsyn dev`.
        #[arg(long, default_value = "./innsyn-data")]
        data_dir: PathBuf,
        /// The person (national identity number).
        #[arg(long)]
        sub: Option<String>,
        /// Space-separated scopes, e.g. "idporten:user.log.read history:read".
        #[arg(long)]
        scope: String,
        /// The client the token is issued to.
        #[arg(long, default_value = "innsyn-dev")]
        client_id: String,
        /// The client's organisation number.
        #[arg(long)]
        orgno: Option<String>,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: i64,
    },
    /// Check a downloaded history (the JSON file) offline against the log; exit status 1 if it fails.
    Verify {
        /// The JSON file from "Last ned" on the citizen's page.
        file: PathBuf,
        /// The log's published key (GET /v1/log/key), or a file holding it; default: the file's own.
        #[arg(long)]
        key: Option<String>,
        /// An earlier download, or a checkpoint saved from GET /v1/log/checkpoint.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        /// The consistency proof between the two (GET /v1/log/proof/consistency?from=&to=).
        #[arg(long, value_name = "FILE")]
        consistency: Option<PathBuf>,
    },
    /// Print a new log signing key (for log.signing_key) and its verifier key.
    LogKey {
        /// The log's origin, e.g. innsyn.example.no/log (the key's name).
        #[arg(long)]
        origin: String,
    },
}

/// A failure that ends the process with a one-line reason.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Fatal(pub String);

fn fatal(e: impl std::fmt::Display) -> Fatal {
    Fatal(
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<(), Fatal> {
    let profile = cli
        .profile
        .clone()
        .or_else(|| std::env::var("INNSYN_PROFILE").ok());
    let settings = || config::load(cli.config.as_deref(), profile.as_deref()).map_err(fatal);
    match cli.command {
        Command::Verify {
            file,
            key,
            previous,
            consistency,
        } => {
            let verdict = verify::verify(&verify::VerifyArgs {
                file,
                key,
                previous,
                consistency,
            })?;
            print!("{verdict}");
            Ok(())
        }
        Command::LogKey { origin } => {
            print!("{}", verify::new_key(&origin)?);
            Ok(())
        }
        Command::Config => {
            print!("{}", config::render(&settings()?));
            Ok(())
        }
        Command::Migrate => {
            let s = settings()?;
            init_logging(&s.server)?;
            let report = root::migrate(&s).map_err(fatal)?;
            if report.applied.is_empty() {
                println!("database is up to date");
            } else {
                println!("applied migrations: {}", report.applied.join(", "));
            }
            Ok(())
        }
        Command::Import { file, batch_size } => {
            let s = settings()?;
            init_logging(&s.server)?;
            let service = root::operator_service(&s).map_err(fatal)?;
            let done = import::run(&service, &file, batch_size)?;
            println!(
                "imported {} events: {} accepted, {} duplicates",
                done.lines, done.accepted, done.duplicates
            );
            Ok(())
        }
        Command::Consume {
            replay_dead_letters,
        } => {
            let s = settings()?;
            init_logging(&s.server)?;
            if replay_dead_letters {
                let r = root::kafka::replay(&s).map_err(fatal)?;
                println!(
                    "replayed dead letters: {} stored, {} still refused, {} no longer in the topic (kept)",
                    r.stored, r.refused, r.gone
                );
            } else {
                let done = root::kafka::consume(&s).map_err(fatal)?;
                println!(
                    "consumed {} batches: {} stored, {} duplicates, {} dead letters; {} commits ({} failed)",
                    done.batches,
                    done.stored,
                    done.duplicates,
                    done.refused,
                    done.commits,
                    done.commit_failures
                );
            }
            Ok(())
        }
        Command::Serve => {
            let s = settings()?;
            init_logging(&s.server)?;
            serve(&s)
        }
        Command::Dev { data_dir, port } => {
            let s = settings()?;
            init_logging(&s.server)?;
            root::dev::run(s, &data_dir, port)
        }
        Command::Token {
            data_dir,
            sub,
            scope,
            client_id,
            orgno,
            ttl,
        } => {
            let token = root::token::mint(
                &settings()?,
                &data_dir,
                root::token::TokenRequest {
                    sub,
                    scope,
                    client_id,
                    orgno,
                    ttl,
                },
            )?;
            println!("{token}");
            Ok(())
        }
    }
}

#[actix_web::main]
async fn serve(s: &config::Settings) -> Result<(), Fatal> {
    let app = Application::build(s).map_err(fatal)?;
    tracing::info!(
        port = app.port(),
        tls = app.tls(),
        "innsyn listening on {}",
        s.server.bind
    );
    app.run_until_stopped().await.map_err(fatal)
}
