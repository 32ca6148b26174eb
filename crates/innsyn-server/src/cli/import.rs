//! `innsyn import FILE`: NDJSON login events, validated line by line and
//! stored in batches through the use cases.

use std::io::BufRead as _;
use std::path::Path;

use innsyn_app::{Service, Writer};
use innsyn_domain::{ActivityRecord, InvalidParams, LoginEvent};

use super::{Fatal, fatal};
use innsyn_app::wire::parse_json;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Events read.
    pub lines: u64,
    /// Newly stored.
    pub accepted: u64,
    /// Stored before.
    pub duplicates: u64,
}

/// Imports `file` (`-` for standard input) in batches of `batch_size`.
///
/// Each batch is validated whole before it is stored; a bad line stops the
/// import naming the line and field (earlier batches stay stored;
/// re-running is safe, the store is idempotent).
///
/// # Errors
/// [`Fatal`] with the line number, or the store's reason.
#[actix_web::main]
pub async fn run(service: &Service, file: &Path, batch_size: usize) -> Result<Imported, Fatal> {
    let reader: Box<dyn std::io::BufRead> = if file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(file).map_err(
            |e| Fatal(format!("cannot open {}: {e}", file.display())),
        )?))
    };
    let batch_size = batch_size.clamp(1, innsyn_domain::records::MAX_BATCH);
    let writer = Writer::operator();
    let mut done = Imported::default();
    let mut batch: Vec<LoginEvent> = Vec::with_capacity(batch_size);
    for (i, line) in reader.lines().enumerate() {
        let number = i + 1;
        let line = line.map_err(|e| Fatal(format!("line {number}: cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: ActivityRecord =
            parse_json(line.as_bytes()).map_err(|e| line_error(number, &e.params))?;
        let event = service
            .validate_login_event(record)
            .map_err(|p| line_error(number, &p))?;
        batch.push(event);
        done.lines += 1;
        if batch.len() >= batch_size {
            store(service, &writer, std::mem::take(&mut batch), &mut done).await?;
        }
    }
    store(service, &writer, batch, &mut done).await?;
    Ok(done)
}

async fn store(
    service: &Service,
    writer: &Writer,
    batch: Vec<LoginEvent>,
    done: &mut Imported,
) -> Result<(), Fatal> {
    if batch.is_empty() {
        return Ok(());
    }
    let o = service
        .store_login_events(writer, batch)
        .await
        .map_err(fatal)?;
    done.accepted += o.accepted;
    done.duplicates += o.duplicates;
    Ok(())
}

fn line_error(number: usize, params: &InvalidParams) -> Fatal {
    let what = params
        .params()
        .iter()
        .map(|p| format!("{}: {}", p.name, p.reason))
        .collect::<Vec<_>>()
        .join("; ");
    Fatal(format!(
        "line {number}: {what} (nothing of this batch was stored)"
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use innsyn_app::{Ports, Settings};
    use innsyn_domain::identity::CITIZEN_A;
    use innsyn_store_memory::MemoryStore;
    use innsyn_test_support::FixedClock;
    use time::macros::datetime;

    use super::*;

    fn service() -> Service {
        Service::new(
            Ports {
                clock: Arc::new(FixedClock::at(datetime!(2024-05-15 12:00 UTC))),
                ..Ports::over(Arc::new(MemoryStore::new()))
            },
            Settings::default(),
        )
    }

    fn line(pid: &str, created_ms: i64) -> String {
        format!(
            "{{\"event_name\":\"Innlogget\",\"event_created\":{created_ms},\"event_subject_pid\":\"{pid}\"}}\n"
        )
    }

    fn import(lines: &[String]) -> Result<Imported, Fatal> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("events.ndjson");
        std::fs::write(&file, lines.concat()).unwrap();
        run(&service(), &file, 10)
    }

    #[test]
    fn lines_are_held_to_the_rules_of_ingestion() {
        // 2024-05-15 12:05:00 UTC: exactly the default skew ahead.
        let edge = 1_715_774_700_000;
        let done = import(&[line(CITIZEN_A, edge)]).unwrap();
        assert_eq!(done.accepted, 1);
        let late = import(&[line(CITIZEN_A, edge), line(CITIZEN_A, edge + 1_000)]).unwrap_err();
        assert!(
            late.0
                .starts_with("line 2: event_created: must not be more"),
            "{}",
            late.0
        );
        let bad = import(&[line("12345678901", edge)]).unwrap_err();
        assert!(
            bad.0
                .starts_with("line 1: event_subject_pid: not a valid national identity number"),
            "{}",
            bad.0
        );
        assert!(!bad.0.contains("12345678901"));
    }
}
