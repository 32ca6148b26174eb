//! The per-test PostgreSQL databases: clones of a migrated template
//! named after the embedded migrations themselves.

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::migration::MigrationSource;
use diesel::pg::PgConnection;
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{Connection, QueryableByName};
use sha2::{Digest, Sha256};

use super::{admin_url, test_settings, with_database};
use crate::Store;
use crate::conn::Db;
use crate::migrate::PG_MIGRATIONS;
use crate::sql::{Dialect, Query, Value};

/// Records the SQL a connection is asked to run.
#[derive(Debug, Default)]
struct Recorder(Vec<String>);

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.push(query.to_string());
        }
    }
}

/// Each embedded PostgreSQL migration's name and up.sql, in order.
/// Diesel keeps an embedded migration's SQL private and only hands it to a
/// connection when the migration runs, so each one runs against a
/// throwaway in-memory SQLite connection that records the text it gets
/// (PostgreSQL's SQL fails there after being recorded; nothing is kept).
fn embedded_migrations() -> Vec<(String, String)> {
    let migrations = MigrationSource::<Sqlite>::migrations(&PG_MIGRATIONS)
        .expect("list the embedded migrations");
    let mut scratch =
        SqliteConnection::establish(":memory:").expect("open a scratch SQLite connection");
    migrations
        .iter()
        .map(|m| {
            scratch.set_instrumentation(Recorder::default());
            let _ = m.run(&mut scratch);
            let up = scratch
                .instrumentation()
                .downcast_mut::<Recorder>()
                .map(|r| r.0.concat())
                .unwrap_or_default();
            (m.name().to_string(), up)
        })
        .collect()
}

/// A short key of a migration set: any added, removed, renamed or edited
/// migration gives another key. Lengths go into the hash so that moving
/// text from one migration to the next changes it too.
fn migrations_key(migrations: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    for (name, up) in migrations {
        for part in [name, up] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Names the template after the embedded migrations (so a new or edited
/// migration gets a new template, with no edit here).
fn template_name() -> String {
    format!("innsyn_tmpl_{}", migrations_key(&embedded_migrations()))
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    let mut q = Query::new(
        Dialect::Postgres,
        "SELECT count(*) AS n FROM pg_database WHERE datname = ",
    );
    q.bind(Value::Text(name.to_owned()));
    let rows: Vec<N> = admin.load_rows(q).expect("query pg_database");
    rows.first().is_some_and(|r| r.n > 0)
}

const HARNESS_LOCK: i64 = 0x1A55_0003;

/// A database of its own, dropped (forcibly) when this guard drops.
#[derive(Debug)]
pub struct PgTestDb {
    url: String,
    name: String,
    admin_url: String,
}

impl PgTestDb {
    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A fresh PostgreSQL database with no schema at all, for migration tests.
pub fn empty_postgres_url() -> PgTestDb {
    let admin_url = admin_url();
    let mut admin = PgConnection::establish(&admin_url)
        .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL: {e}"));
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create the test database");
    PgTestDb {
        url: with_database(&admin_url, &name),
        name,
        admin_url,
    }
}

/// Applies the first `count` embedded PostgreSQL migrations to `url`, as
/// `innsyn migrate` of a release that had only those would have (Diesel
/// records each one, so a later [`Store::migrate`] runs only the rest).
/// Returns their names.
pub fn migrate_postgres_prefix(url: &str, count: usize) -> Vec<String> {
    use diesel::pg::Pg;
    use diesel_migrations::MigrationHarness;
    let mut c = PgConnection::establish(url).expect("connect to the test database");
    diesel::migration::MigrationConnection::setup(&mut c)
        .expect("create Diesel's migrations table");
    let migrations =
        MigrationSource::<Pg>::migrations(&PG_MIGRATIONS).expect("list the embedded migrations");
    migrations
        .iter()
        .take(count)
        .map(|m| {
            c.run_migration(m.as_ref())
                .unwrap_or_else(|e| panic!("migration {} failed: {e}", m.name()));
            m.name().to_string()
        })
        .collect()
}

/// A fresh, migrated, empty PostgreSQL database. Safe to call from many
/// test processes at once: the template is built once, under an advisory
/// lock, and published by renaming only when complete.
pub fn fresh_postgres_url() -> PgTestDb {
    let admin_url = admin_url();
    let mut admin = PgConnection::establish(&admin_url)
        .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL: {e}"));
    let template = template_name();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin
        .batch_execute(&format!("SELECT pg_advisory_lock({HARNESS_LOCK})"))
        .expect("take the harness lock");
    if !database_exists(&mut admin, &template) {
        let building = format!("{template}_b");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .expect("drop a half-built template");
        admin
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .expect("create the template database");
        {
            let store = Store::connect(&test_settings(&with_database(&admin_url, &building)))
                .expect("connect to the template");
            store.migrate().expect("migrate the template");
        }
        admin
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .expect("publish the template");
    }
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .expect("create the test database");
    admin
        .batch_execute(&format!("SELECT pg_advisory_unlock({HARNESS_LOCK})"))
        .expect("release the harness lock");
    PgTestDb {
        url: with_database(&admin_url, &name),
        name,
        admin_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(migrations: &[(&str, &str)]) -> Vec<(String, String)> {
        migrations
            .iter()
            .map(|(n, u)| ((*n).to_owned(), (*u).to_owned()))
            .collect()
    }

    #[test]
    fn the_key_changes_with_the_migration_set() {
        let base = set(&[("2024_init", "CREATE TABLE a ();"), ("2026_b", "ALTER a;")]);
        let key = migrations_key(&base);
        assert_eq!(key, migrations_key(&base.clone()), "stable");
        assert_eq!(key.len(), 12);
        let variants = [
            set(&[("2024_init", "CREATE TABLE a ();")]),
            set(&[
                ("2024_init", "CREATE TABLE a ();"),
                ("2026_b", "ALTER a;"),
                ("2027_c", "SELECT 1;"),
            ]),
            set(&[("2024_init", "CREATE TABLE a ();"), ("2026_b", "ALTER b;")]),
            set(&[("2024_init", "CREATE TABLE a ();"), ("2026_c", "ALTER a;")]),
            set(&[("2024_init", "CREATE TABLE a ();ALTER"), ("2026_b", " a;")]),
        ];
        for changed in variants {
            assert_ne!(migrations_key(&changed), key, "{changed:?}");
        }
    }

    #[test]
    fn every_embedded_migration_is_read() {
        let embedded = embedded_migrations();
        assert!(embedded.len() >= 2, "{embedded:?}");
        for (name, up) in &embedded {
            assert!(
                up.contains("CREATE") || up.contains("ALTER"),
                "{name}: {up:?}"
            );
        }
        assert!(embedded[0].1.contains("CREATE TABLE subjects"));
    }
}
