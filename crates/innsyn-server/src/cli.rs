//! The command line: `serve`, `migrate`, `import`, `config`, `dev`, `token`.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand};
use innsyn_auth_oidc::{AuthMode, DEV_KEY_FILE, DevIssuer, DevTokenRequest};
use innsyn_domain::{ActivityRecord, InvalidParams, LoginEvent, ScopeNames};
use innsyn_ports::{Clock as _, HistoryStore};
use innsyn_store_diesel::{Store, StoreSettings};
use tracing_subscriber::EnvFilter;

use crate::config::{self, Settings};
use crate::metrics::{Metrics, MetricsSource, PoolMetrics};
use crate::settings::{LogFormat, ServerSettings};
use crate::startup::{AppSettings, Application};
use crate::state::{Deps, StoreGate, SystemClock};

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
        Command::Config => {
            print!("{}", config::render(&settings()?));
            Ok(())
        }
        Command::Migrate => {
            let s = settings()?;
            init_logging(&s.server)?;
            let store = Store::connect(&s.database).map_err(fatal)?;
            let report = store.migrate().map_err(fatal)?;
            if report.applied.is_empty() {
                println!("database is up to date");
            } else {
                println!("applied migrations: {}", report.applied.join(", "));
            }
            if !report.partitions_created.is_empty() {
                println!(
                    "created partitions: {}",
                    report.partitions_created.join(", ")
                );
            }
            Ok(())
        }
        Command::Import { file, batch_size } => {
            let s = settings()?;
            init_logging(&s.server)?;
            let store = Store::connect(&s.database).map_err(fatal)?;
            let (lines, accepted, duplicates) = import(&store, &file, batch_size)?;
            println!("imported {lines} events: {accepted} accepted, {duplicates} duplicates");
            Ok(())
        }
        Command::Serve => {
            let s = settings()?;
            init_logging(&s.server)?;
            serve(s)
        }
        Command::Dev { data_dir, port } => {
            let s = settings()?;
            init_logging(&s.server)?;
            dev(s, &data_dir, port)
        }
        Command::Token {
            data_dir,
            sub,
            scope,
            client_id,
            orgno,
            ttl,
        } => {
            let s = settings()?;
            if !data_dir.join(DEV_KEY_FILE).is_file() {
                return Err(Fatal(format!(
                    "{} holds no dev issuer (run `innsyn dev --data-dir {}` first); tokens are minted in dev mode only",
                    data_dir.display(),
                    data_dir.display()
                )));
            }
            let issuer = DevIssuer::load_or_create(&data_dir, &dev_auth(&s)).map_err(fatal)?;
            let token = issuer
                .mint(&DevTokenRequest {
                    sub,
                    scopes: scope.split_whitespace().map(str::to_owned).collect(),
                    client_id,
                    orgno,
                    ttl_secs: ttl,
                    acr: Some("idporten-loa-high".to_owned()),
                })
                .map_err(fatal)?;
            println!("{token}");
            Ok(())
        }
    }
}

fn init_logging(server: &ServerSettings) -> Result<(), Fatal> {
    let filter = EnvFilter::try_new(&server.log_level)
        .map_err(|e| Fatal(format!("configuration: server.log_level: {e}")))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match server.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // Already initialised (tests) is fine.
    let _ = result;
    Ok(())
}

/// Token cache counters of the OIDC validator for `/metrics`.
struct TokenCacheMetrics(Arc<innsyn_auth_oidc::OidcIntrospector>);

impl MetricsSource for TokenCacheMetrics {
    fn render(&self, out: &mut String) {
        let s = self.0.cache_stats();
        out.push_str("# HELP innsyn_token_cache_total Introspection cache outcomes.\n# TYPE innsyn_token_cache_total counter\n");
        for (outcome, n) in [
            ("hit", s.hits),
            ("miss", s.misses),
            ("coalesced", s.coalesced),
            ("eviction", s.evictions),
        ] {
            out.push_str(&format!(
                "innsyn_token_cache_total{{outcome=\"{outcome}\"}} {n}\n"
            ));
        }
        out.push_str("# HELP innsyn_token_cache_entries Introspection results held.\n# TYPE innsyn_token_cache_entries gauge\n");
        out.push_str(&format!("innsyn_token_cache_entries {}\n", s.entries));
    }
}

fn store_deps(store: Arc<Store>) -> (Arc<dyn HistoryStore>, crate::state::RetentionCutoff) {
    let s = Arc::clone(&store);
    (store, Arc::new(move |now| s.retention_cutoff(now)))
}

fn app_settings(s: &Settings) -> AppSettings {
    AppSettings {
        server: s.server.clone(),
        scopes: s.scopes.clone(),
        web: s.web.clone(),
    }
}

#[actix_web::main]
async fn serve(s: Settings) -> Result<(), Fatal> {
    let store = Arc::new(Store::connect(&s.database).map_err(fatal)?);
    let pool: Arc<dyn MetricsSource> = Arc::new(PoolMetrics::of_store(Arc::clone(&store)));
    let (store, retention_cutoff) = store_deps(store);
    let (tokens, mut sources): (
        Arc<dyn innsyn_ports::TokenIntrospector>,
        Vec<Arc<dyn MetricsSource>>,
    ) = match s.auth.mode {
        AuthMode::Dev => {
            return Err(Fatal(
                    "auth.mode = \"dev\" is for `innsyn dev` only; configure an OpenID issuer for `innsyn serve`".to_owned(),
                ));
        }
        _ => {
            let oidc = Arc::new(innsyn_auth_oidc::OidcIntrospector::new(&s.auth).map_err(fatal)?);
            (
                Arc::clone(&oidc) as _,
                vec![Arc::new(TokenCacheMetrics(oidc)) as _],
            )
        }
    };
    sources.push(pool);
    let deps = Deps {
        store,
        tokens,
        clock: Arc::new(SystemClock),
        metrics: Metrics::with_sources(sources),
        retention_cutoff,
        store_gate: StoreGate::for_store(&s.database),
    };
    let app = Application::build(&app_settings(&s), deps).map_err(fatal)?;
    tracing::info!(
        port = app.port(),
        tls = app.tls(),
        "innsyn listening on {}",
        s.server.bind
    );
    app.run_until_stopped().await.map_err(fatal)
}

/// The `[auth]` settings of dev mode: the configured claims and leeway, the
/// dev issuer.
fn dev_auth(s: &Settings) -> innsyn_auth_oidc::AuthSettings {
    innsyn_auth_oidc::AuthSettings {
        mode: AuthMode::Dev,
        subject_claim: "pid".to_owned(),
        ..s.auth.clone()
    }
}

/// The subject key of a dev data directory: made once, kept in the directory.
fn dev_subject_key(data_dir: &Path) -> Result<String, Fatal> {
    let path = data_dir.join("subject-key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= innsyn_store_diesel::MIN_SECRET_LEN {
            return Ok(existing);
        }
    }
    let key = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    std::fs::write(&path, &key)
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

#[actix_web::main]
async fn dev(s: Settings, data_dir: &Path, port: u16) -> Result<(), Fatal> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Fatal(format!("cannot create {}: {e}", data_dir.display())))?;
    let database = StoreSettings {
        url: format!("sqlite://{}", data_dir.join("innsyn.db").display()),
        subject_key_secret: dev_subject_key(data_dir)?,
        ..StoreSettings::default()
    };
    let store = Arc::new(Store::connect(&database).map_err(fatal)?);
    store.migrate().map_err(fatal)?;
    let marker = data_dir.join("demo-seeded");
    if !marker.exists() {
        let (events, records) =
            crate::demo::seed(store.as_ref(), SystemClock.now()).map_err(fatal)?;
        std::fs::write(&marker, "demo data seeded\n")
            .map_err(|e| Fatal(format!("cannot write {}: {e}", marker.display())))?;
        tracing::info!(
            login_events = events.accepted,
            access_records = records.accepted,
            "demo data seeded"
        );
    }
    let auth = dev_auth(&s);
    let issuer = DevIssuer::load_or_create(data_dir, &auth).map_err(fatal)?;
    let pool: Arc<dyn MetricsSource> = Arc::new(PoolMetrics::of_store(Arc::clone(&store)));
    let (store, retention_cutoff) = store_deps(store);
    let deps = Deps {
        store,
        tokens: Arc::new(issuer.introspector()),
        clock: Arc::new(SystemClock),
        metrics: Metrics::with_sources(vec![pool]),
        retention_cutoff,
        store_gate: StoreGate::for_store(&database),
    };
    let bind = format!("127.0.0.1:{port}");
    let listener = std::net::TcpListener::bind(&bind)
        .map_err(|e| Fatal(format!("cannot listen on {bind}: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| Fatal(format!("cannot read the bound address: {e}")))?
        .port();
    let settings = AppSettings {
        server: ServerSettings {
            bind,
            tls_cert_file: None,
            tls_key_file: None,
            allow_plain_http: true,
            public_base_url: None,
            ..s.server.clone()
        },
        scopes: s.scopes.clone(),
        web: dev_web(&s, port),
    };
    let app = Application::build_with_listener(&settings, deps, listener).map_err(fatal)?;
    print!(
        "{}",
        banner(
            &issuer,
            &s.scopes,
            app.port(),
            data_dir,
            settings.web.enabled
        )
        .map_err(fatal)?
    );
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    app.run_until_stopped().await.map_err(fatal)
}

/// The `[web]` settings of dev mode: the configured ones, served at the
/// loopback port, with the demo-citizen picker.
fn dev_web(s: &Settings, port: u16) -> innsyn_web::WebSettings {
    innsyn_web::WebSettings {
        public_base_url: format!("http://127.0.0.1:{port}"),
        dev_picker: true,
        dev_subjects: crate::demo::CITIZENS
            .iter()
            .map(|(id, label)| format!("{id} {label}"))
            .collect(),
        ..s.web.clone()
    }
}

fn banner(
    issuer: &DevIssuer,
    scopes: &ScopeNames,
    port: u16,
    data_dir: &Path,
    page: bool,
) -> Result<String, innsyn_auth_oidc::DevIssuerError> {
    let (citizen, label) = crate::demo::CITIZENS[0];
    let nav = &crate::demo::SERVICES[0];
    let login = issuer.mint(&DevTokenRequest {
        sub: Some(citizen.to_owned()),
        scopes: vec![scopes.login_read.clone(), scopes.history_read.clone()],
        client_id: nav.client_id.to_owned(),
        orgno: Some(nav.orgno.to_owned()),
        ttl_secs: 12 * 3600,
        acr: Some("idporten-loa-high".to_owned()),
    })?;
    let writer = issuer.mint(&DevTokenRequest {
        sub: None,
        scopes: vec![scopes.history_write.clone(), scopes.history_admin.clone()],
        client_id: "innsyn-dev-writer".to_owned(),
        orgno: Some(nav.orgno.to_owned()),
        ttl_secs: 12 * 3600,
        acr: None,
    })?;
    let base = format!("http://127.0.0.1:{port}");
    let dir = data_dir.display();
    let page = if page {
        format!(
            "\n  My page      {base}{} (log in as a demo citizen)",
            innsyn_web::BASE_PATH
        )
    } else {
        String::new()
    };
    Ok(format!(
        "\ninnsyn dev is running at {base} (data in {dir}; Ctrl-C stops it)\n{page}\
\n  API docs     {base}/docs/\n  OpenAPI      {base}/openapi.json\n  health       {base}/healthz  {base}/readyz  {base}/metrics\n\
\nDemo citizen {citizen} ({label}), seen by {org} ({orgno}).\n\
\n# tokens (valid 12 hours; mint more with `innsyn token --data-dir {dir} --sub … --scope …`)\n\
export TOKEN='{login}'\nexport WRITER='{writer}'\n\
\n# seed 1: login history of the citizen, limited to {org}'s services\n\
curl -s -H \"Authorization: Bearer $TOKEN\" '{base}/innlogginger/logg/idporten?maxhits=5'\n\
\n# seed 2: who accessed the citizen's data in the last 90 days\n\
curl -s -H \"Authorization: Bearer $TOKEN\" '{base}/metadata/v1/{citizen}/accessHistory?startTime=-90d&count=5'\n\
\n# ingestion and the catalog\n\
curl -s -H \"Authorization: Bearer $WRITER\" -H 'Content-Type: application/json' -d '[{{\"event_name\":\"Innlogget\",\"event_created\":1551947196000,\"event_subject_pid\":\"{citizen}\",\"service_provider_id\":\"{client}\",\"service_provider_orgno\":\"{orgno}\",\"service_provider_name\":\"{org}\",\"auth_eid\":\"MinID\",\"auth_method\":\"PIN\"}}]' {base}/v1/login-events\n\
curl -s -H \"Authorization: Bearer $WRITER\" {base}/v1/catalog\n\n",
        org = nav.organisation,
        orgno = nav.orgno,
        client = nav.client_id,
    ))
}

/// `innsyn import`: validates each batch whole before storing it; a bad line
/// stops the import naming the line and field (earlier batches stay stored;
/// re-running is safe, the store is idempotent).
pub fn import(
    store: &dyn HistoryStore,
    file: &Path,
    batch_size: usize,
) -> Result<(u64, u64, u64), Fatal> {
    let reader: Box<dyn std::io::BufRead> = if file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(file).map_err(
            |e| Fatal(format!("cannot open {}: {e}", file.display())),
        )?))
    };
    let batch_size = batch_size.clamp(1, innsyn_domain::records::MAX_BATCH);
    let (mut lines, mut accepted, mut duplicates) = (0u64, 0u64, 0u64);
    let mut batch: Vec<LoginEvent> = Vec::with_capacity(batch_size);
    let mut flush = |batch: &mut Vec<LoginEvent>| -> Result<(), Fatal> {
        if batch.is_empty() {
            return Ok(());
        }
        let o = store.append_login_events(batch).map_err(fatal)?;
        accepted += o.accepted;
        duplicates += o.duplicates;
        batch.clear();
        Ok(())
    };
    for (i, line) in reader.lines().enumerate() {
        let number = i + 1;
        let line = line.map_err(|e| Fatal(format!("line {number}: cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let record: ActivityRecord = match crate::api::parse_json(line.as_bytes()) {
            Ok(r) => r,
            Err(crate::ApiError::BadBody { params, .. }) => {
                return Err(line_error(number, &params));
            }
            Err(e) => return Err(Fatal(format!("line {number}: {e}"))),
        };
        let event = LoginEvent::from_activity(record).map_err(|p| line_error(number, &p))?;
        batch.push(event);
        lines += 1;
        if batch.len() >= batch_size {
            flush(&mut batch)?;
        }
    }
    flush(&mut batch)?;
    Ok((lines, accepted, duplicates))
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
