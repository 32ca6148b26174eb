//! Test harness (feature `test-support`): a fresh PostgreSQL database per
//! test, cloned from a migrated template, and throwaway clusters.
//!
//! The admin URL comes from `DATABASE_URL` (`scripts/test` sets it, see
//! `scripts/lib/postgres.sh`). Without it PostgreSQL tests fail loudly:
//! a skipped database test is a silent hole in the suite.

// Test support must fail the test loudly, and says so by panicking.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::{Connection, QueryableByName};
use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry, SubjectId,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, PoolState, RetentionOutcome, StoreError};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::conn::Db;
use crate::sql::{Dialect, Query, Value};
use crate::{Store, StoreSettings};

/// The secret test stores use.
pub const TEST_SECRET: &str = "test-only-subject-key-secret";

/// Settings for a test store at `url`.
pub fn test_settings(url: &str) -> StoreSettings {
    StoreSettings {
        url: url.to_owned(),
        pool_size: 4,
        connect_timeout_secs: 5,
        subject_key_secret: TEST_SECRET.into(),
        ..StoreSettings::default()
    }
}

/// `DATABASE_URL`, or a panic that says how to get one.
pub fn admin_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "DATABASE_URL is not set: PostgreSQL tests need an admin URL such as \
             postgres://postgres@127.0.0.1:5432/postgres. Run them through scripts/test, \
             which finds or starts a server (scripts/lib/postgres.sh)."
        ),
    }
}

/// `url` pointing at database `name` instead.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Names the template after the migrations' content (so an edited
/// migration gets a new template) and the month (so its partitions are
/// current).
fn template_name() -> String {
    let mut h = Sha256::new();
    h.update(include_str!(
        "../migrations/postgres/2024-01-01-000000_init/up.sql"
    ));
    h.update(include_str!(
        "../migrations/postgres/2026-11-20-000000_ordered_partitions/up.sql"
    ));
    let hex: String = h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = OffsetDateTime::now_utc();
    format!(
        "innsyn_tmpl_{hex}_{:04}{:02}",
        now.year(),
        u8::from(now.month())
    )
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

/// A store over a database of its own; the database goes with it.
pub struct TestStore {
    // Declared first so the pool closes before the database is dropped.
    store: Store,
    db: Option<PgTestDb>,
}

impl TestStore {
    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
    /// The database URL (PostgreSQL only).
    pub fn url(&self) -> Option<&str> {
        self.db.as_ref().map(PgTestDb::url)
    }
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// An empty, migrated PostgreSQL store of its own.
pub fn fresh_postgres_store() -> TestStore {
    let db = fresh_postgres_url();
    let store = Store::connect(&test_settings(db.url())).expect("connect to the test database");
    TestStore {
        store,
        db: Some(db),
    }
}

/// An empty, migrated in-memory SQLite store.
pub fn fresh_sqlite_store() -> TestStore {
    let store = Store::connect(&StoreSettings::sqlite_memory()).expect("open in-memory SQLite");
    store.migrate().expect("migrate in-memory SQLite");
    TestStore { store, db: None }
}

impl HistoryStore for TestStore {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        self.store.login_history(q)
    }
    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        self.store.access_history(q)
    }
    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        self.store.append_login_events(events)
    }
    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        self.store.append_access_records(records)
    }
    fn catalog(&self) -> Result<Catalog, StoreError> {
        self.store.catalog()
    }
    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        self.store.put_client(client)
    }
    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        self.store.put_resource(resource)
    }
    fn apply_retention(&self, cutoff: OffsetDateTime) -> Result<RetentionOutcome, StoreError> {
        self.store.apply_retention(cutoff)
    }
    fn pool_state(&self) -> Option<PoolState> {
        self.store.pool_state()
    }
    fn ping(&self) -> Result<(), StoreError> {
        self.store.ping()
    }
}

impl Store {
    /// `EXPLAIN (FORMAT JSON)` of the seed-1 / own-page login query, for
    /// plan tests (PostgreSQL only).
    pub fn explain_login_history(&self, q: &LoginHistoryQuery) -> Result<String, StoreError> {
        let sql =
            crate::sql::login_history(Dialect::Postgres, self.keyer.subject_key(&q.subject), q);
        self.explain(sql)
    }

    /// `EXPLAIN (FORMAT JSON)` of the access-history query.
    pub fn explain_access_history(&self, q: &AccessHistoryQuery) -> Result<String, StoreError> {
        self.explain(self.access_answer_sql(q))
    }

    /// `EXPLAIN (FORMAT JSON[, ANALYZE, BUFFERS])` of the login query as
    /// the store runs it: a prepared statement, executed a few times first
    /// so PostgreSQL's plan cache settles (on a generic plan, when that is
    /// cheaper) exactly as it does on a pooled connection.
    pub fn explain_prepared_login_history(
        &self,
        q: &LoginHistoryQuery,
        analyze: bool,
    ) -> Result<String, StoreError> {
        let sql =
            crate::sql::login_history(Dialect::Postgres, self.keyer.subject_key(&q.subject), q);
        self.explain_prepared(&sql, analyze)
    }

    /// [`Store::explain_prepared_login_history`] for the access-history query.
    pub fn explain_prepared_access_history(
        &self,
        q: &AccessHistoryQuery,
        analyze: bool,
    ) -> Result<String, StoreError> {
        self.explain_prepared(&self.access_answer_sql(q), analyze)
    }

    /// The statement `access_history` runs for `q`.
    fn access_answer_sql(&self, q: &AccessHistoryQuery) -> Query {
        let refs = crate::sql::refs_to_check(q);
        crate::sql::access_answer(
            Dialect::Postgres,
            self.keyer.subject_key(&q.owner),
            &refs,
            q,
        )
    }

    fn explain_prepared(&self, q: &Query, analyze: bool) -> Result<String, StoreError> {
        #[derive(QueryableByName)]
        struct ExplainRow {
            #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
            plan: String,
        }
        let crate::Backend::Postgres(p) = &self.backend else {
            return Err(StoreError::Internal("PostgreSQL only".into()));
        };
        let types: Vec<&str> = q
            .values
            .iter()
            .map(|v| match v {
                Value::Bytes(_) => "bytea",
                Value::Text(_) | Value::OptText(_) => "text",
                Value::Int(_) => "int8",
                Value::Time(_) => "timestamptz",
                Value::BytesArray(_) => "bytea[]",
                Value::TimeArray(_) => "timestamptz[]",
                Value::OptTextArray(_) => "text[]",
            })
            .collect();
        let args: Vec<String> = q.values.iter().map(literal).collect();
        let name = format!("explained_{}", uuid::Uuid::new_v4().simple());
        let mut c = crate::pool::checkout(p)?;
        let err = |e: diesel::result::Error| crate::conn::db_error(&e);
        c.batch_execute(&format!(
            "PREPARE {name} ({}) AS {}",
            types.join(", "),
            q.sql
        ))
        .map_err(err)?;
        let execute = format!("EXECUTE {name} ({})", args.join(", "));
        for _ in 0..6 {
            c.batch_execute(&execute).map_err(err)?;
        }
        let options = if analyze {
            "FORMAT JSON, ANALYZE, BUFFERS"
        } else {
            "FORMAT JSON"
        };
        let rows: Vec<ExplainRow> = c
            .load_rows(Query::new(
                Dialect::Postgres,
                &format!("EXPLAIN ({options}) {execute}"),
            ))
            .map_err(err)?;
        c.batch_execute(&format!("DEALLOCATE {name}"))
            .map_err(err)?;
        Ok(rows.into_iter().map(|r| r.plan).collect())
    }

    /// Runs SQL as is (PostgreSQL only): test data generation.
    pub fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        match &self.backend {
            crate::Backend::Postgres(p) => {
                let mut c = crate::pool::checkout(p)?;
                c.batch_execute(sql).map_err(|e| crate::conn::db_error(&e))
            }
            crate::Backend::Sqlite(_) => Err(StoreError::Internal("PostgreSQL only".into())),
        }
    }

    /// `SELECT count(*)` of a table (PostgreSQL only), for plan tests.
    pub fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        let crate::Backend::Postgres(p) = &self.backend else {
            return Err(StoreError::Internal("PostgreSQL only".into()));
        };
        let mut c = crate::pool::checkout(p)?;
        let rows: Vec<N> = c
            .load_rows(Query::new(
                Dialect::Postgres,
                &format!("SELECT count(*) AS n FROM {table}"),
            ))
            .map_err(|e| crate::conn::db_error(&e))?;
        Ok(rows.first().map_or(0, |r| r.n))
    }

    /// The stored key of `subject`, for generating matching test rows.
    pub fn subject_key_of(&self, subject: &SubjectId) -> Vec<u8> {
        self.keyer.subject_key(subject)
    }

    fn explain(&self, mut q: Query) -> Result<String, StoreError> {
        #[derive(QueryableByName)]
        struct ExplainRow {
            // EXPLAIN's json column reads as text: its binary form is the text.
            #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
            plan: String,
        }
        let crate::Backend::Postgres(p) = &self.backend else {
            return Err(StoreError::Internal("PostgreSQL only".into()));
        };
        q.prepend("EXPLAIN (FORMAT JSON) ");
        let mut c = crate::pool::checkout(p)?;
        let rows: Vec<ExplainRow> = c.load_rows(q).map_err(|e| crate::conn::db_error(&e))?;
        Ok(rows.into_iter().map(|r| r.plan).collect())
    }
}

/// A bind value as an SQL literal (test plans only).
fn literal(v: &Value) -> String {
    fn text(s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }
    fn bytes(b: &[u8]) -> String {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!("'\\x{hex}'::bytea")
    }
    let time = |t: &OffsetDateTime| {
        format!(
            "(timestamptz 'epoch' + {} * interval '1 microsecond')",
            crate::sql::micros(*t)
        )
    };
    match v {
        Value::Bytes(b) => bytes(b),
        Value::Text(s) => text(s),
        Value::OptText(s) => s.as_deref().map_or_else(|| "NULL".into(), text),
        Value::Int(n) => n.to_string(),
        Value::Time(t) => time(t),
        Value::BytesArray(a) => format!(
            "ARRAY[{}]::bytea[]",
            a.iter().map(|b| bytes(b)).collect::<Vec<_>>().join(", ")
        ),
        Value::TimeArray(a) => format!(
            "ARRAY[{}]::timestamptz[]",
            a.iter().map(time).collect::<Vec<_>>().join(", ")
        ),
        Value::OptTextArray(a) => format!(
            "ARRAY[{}]::text[]",
            a.iter()
                .map(|s| s.as_deref().map_or_else(|| "NULL".into(), text))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

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
