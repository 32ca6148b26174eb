//! `innsyn-bench`: the helpers behind `scripts/bench`.
//!
//! The script orchestrates (PostgreSQL, the server, `wrk`, `pgbench`,
//! `psql`); this binary does what is awkward in shell:
//!
//! - `prepare`: a signing key and its JWKS, tokens and request lines for
//!   `wrk`, the pgbench scripts with the store's exact statements, subject
//!   keys (HMAC-SHA256 as the store computes them) for the SQL generator,
//!   and ingestion batches with the same rows as CSV for `COPY`;
//! - `factor`: the skew factor that gives N events over the citizens;
//! - `partitions`: migrations and the monthly partitions of the data's
//!   24 months, through the store's own maintenance;
//! - `admin-token`: a `history:admin` token (for the retention run) from a
//!   second key added to the JWKS;
//! - `issuer`: a static OpenID discovery document and JWKS over HTTP;
//! - `kafka-produce`: the ingestion events as Kafka messages (consume cell);
//! - `pgstats`: latency percentiles from pgbench's per-transaction logs;
//! - `report`: the table for people and the JSON line for machines.

mod admin;
mod args;
mod issuer;
mod kafka;
mod model;
mod prepare;
mod report;
mod tokens;

use std::process::ExitCode;

use args::Args;

const USAGE: &str =
    "usage: innsyn-bench <prepare|factor|partitions|admin-token|issuer|kafka-produce|pgstats|report> [--option value]...
  prepare    --dir D --issuer URL --audience A --secret S [--citizens N] [--tokens K]
             [--ingest-events M] [--batch B] [--pgcrypto true|false] [--ttl SECS]
  factor     --events N [--citizens C]
  partitions --url U --secret S --from YYYY-MM-DD [--months M]
  admin-token --dir D --issuer URL --audience A [--ttl SECS]
  issuer     --dir D --port P
  kafka-produce --bootstrap HOST:PORT --topic T [--partitions P] --dir D
  pgstats    --logs-dir D --tps X [--label-json JSON]
  report     --results FILE [--json true]";

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let Some(command) = argv.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let args = match Args::parse(argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("innsyn-bench: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command.as_str() {
        "prepare" => prepare::run(&args),
        "factor" => model::factor_command(&args),
        "partitions" => prepare::partitions(&args),
        "admin-token" => admin::run(&args),
        "issuer" => issuer::run(&args),
        "kafka-produce" => kafka::run(&args),
        "pgstats" => report::pgstats(&args),
        "report" => report::run(&args),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("innsyn-bench {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
