//! `innsyn dev`: the embedded default. SQLite and a dev token issuer in a
//! data directory, migrations applied, demo data seeded once, loopback only.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use innsyn_app::{Admin, Service, Writer};
use innsyn_auth_oidc::{AuthMode, AuthSettings, DevIssuer};
use innsyn_domain::{Secret, SubjectId};
use innsyn_store_diesel::{MIN_SECRET_LEN, Store, StoreSettings};
use innsyn_tlog::note::NoteSigner;

use super::Application;
use crate::cli::Fatal;
use crate::config::Settings;
use crate::settings::{LogSettings, ServerSettings};

fn fatal(e: impl std::fmt::Display) -> Fatal {
    Fatal(e.to_string())
}

/// The `[auth]` settings of dev mode: the configured claims and leeway, the
/// dev issuer.
pub fn dev_auth(s: &Settings) -> AuthSettings {
    AuthSettings {
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
        if existing.len() >= MIN_SECRET_LEN {
            make_private(&path)?;
            return Ok(existing);
        }
    }
    let key = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    write_private(&path, key.as_bytes())
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

/// The log's signing key of a dev data directory: made once, kept there,
/// so checkpoints of one directory verify with one key across restarts.
fn dev_log_key(data_dir: &Path) -> Result<String, Fatal> {
    let path = data_dir.join("log-key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        make_private(&path)?;
        return Ok(existing.trim().to_owned());
    }
    let (_, key) = NoteSigner::generate(DEV_LOG_ORIGIN)
        .map_err(|e| Fatal(format!("cannot make the dev log key: {e}")))?;
    write_private(&path, key.as_bytes())
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

/// The origin (key name) of a dev data directory's log.
const DEV_LOG_ORIGIN: &str = "innsyn-dev.localhost/log";

/// The data directory holds the subject key, the dev issuer's signing key
/// and the database: only its owner may enter it (0700), also when an
/// earlier version made it world-readable.
fn private_dir(dir: &Path) -> Result<(), Fatal> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)))
        .map_err(|e| Fatal(format!("cannot create {}: {e}", dir.display())))
}

/// Writes a file only its owner can read (0600).
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // `mode` applies only when the file is created.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(contents)?;
    f.sync_all()
}

/// SQLite creates the database (and its -wal and -shm files, which copy
/// the database's mode) with the process umask: narrow it to the owner.
fn make_private(path: &Path) -> Result<(), Fatal> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| Fatal(format!("cannot restrict {}: {e}", path.display())))
}

/// The settings of dev mode: the configured ones on SQLite in `data_dir`,
/// plain HTTP on the loopback `port`, the page with the demo-citizen picker.
fn dev_settings(s: &Settings, data_dir: &Path, port: u16) -> Result<Settings, Fatal> {
    Ok(Settings {
        database: StoreSettings {
            url: format!("sqlite://{}", data_dir.join("innsyn.db").display()),
            subject_key_secret: Secret::new(dev_subject_key(data_dir)?),
            ..StoreSettings::default()
        },
        server: ServerSettings {
            bind: format!("127.0.0.1:{port}"),
            tls_cert_file: None,
            tls_key_file: None,
            allow_plain_http: true,
            public_base_url: None,
            ..s.server.clone()
        },
        web: innsyn_web::WebSettings {
            public_base_url: format!("http://127.0.0.1:{port}"),
            dev_picker: true,
            dev_subjects: crate::demo::CITIZENS
                .iter()
                .map(|(id, label)| format!("{id} {label}"))
                .collect(),
            ..s.web.clone()
        },
        auth: dev_auth(s),
        log: match &s.log.signing_key {
            Some(_) => s.log.clone(),
            None => LogSettings {
                signing_key: Some(Secret::new(dev_log_key(data_dir)?)),
                ..s.log.clone()
            },
        },
        ..s.clone()
    })
}

/// Seeds the demo data once per data directory, through the use cases.
async fn seed_once(service: &Service, data_dir: &Path) -> Result<(), Fatal> {
    let marker = data_dir.join("demo-seeded");
    if marker.exists() {
        return Ok(());
    }
    let demo = crate::demo::generate(service.now());
    let admin = Admin::operator();
    for client in demo.clients {
        service.put_client(&admin, client).await.map_err(fatal)?;
    }
    for resource in demo.resources {
        service
            .put_resource(&admin, resource)
            .await
            .map_err(fatal)?;
    }
    for organisation in demo.organisations {
        service
            .put_organisation(&admin, organisation)
            .await
            .map_err(fatal)?;
    }
    for label in demo.labels {
        service.put_label(&admin, label).await.map_err(fatal)?;
    }
    let writer = Writer::operator();
    let events = service
        .ingest_login_events(&writer, demo.events)
        .await
        .map_err(fatal)?;
    let records = service
        .ingest_access_records(&writer, demo.records)
        .await
        .map_err(fatal)?;
    for (pid, item, message) in &demo.disputes {
        let citizen = SubjectId::parse(pid).map_err(fatal)?;
        service
            .open_dispute(&citizen, item, Some(message))
            .await
            .map_err(fatal)?;
    }
    write_private(&marker, b"demo data seeded\n")
        .map_err(|e| Fatal(format!("cannot write {}: {e}", marker.display())))?;
    tracing::info!(
        login_events = events.accepted,
        access_records = records.accepted,
        "demo data seeded"
    );
    Ok(())
}

/// Runs `innsyn dev` until stopped.
///
/// # Errors
/// [`Fatal`] with a one-line reason.
#[actix_web::main]
pub async fn run(s: Settings, data_dir: &Path, port: u16) -> Result<(), Fatal> {
    private_dir(data_dir)?;
    let bind = format!("127.0.0.1:{port}");
    let listener =
        TcpListener::bind(&bind).map_err(|e| Fatal(format!("cannot listen on {bind}: {e}")))?;
    let port = listener.local_addr().map_err(fatal)?.port();
    let settings = dev_settings(&s, data_dir, port)?;
    let store = Store::connect(&settings.database).map_err(fatal)?;
    for file in ["innsyn.db", "innsyn.db-wal", "innsyn.db-shm"] {
        let path = data_dir.join(file);
        if path.exists() {
            make_private(&path)?;
        }
    }
    store.migrate().map_err(fatal)?;
    let issuer = DevIssuer::load_or_create(data_dir, &settings.auth).map_err(fatal)?;
    let app = Application::builder(&settings)
        .store(Arc::new(store))
        .tokens(Arc::new(issuer.introspector()))
        .listener(listener)
        .build()
        .map_err(fatal)?;
    seed_once(app.service(), data_dir).await?;
    let banner = super::banner::banner(
        &issuer,
        &settings.scopes,
        app.port(),
        data_dir,
        settings.web.enabled,
    )
    .map_err(fatal)?;
    print!("{banner}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    app.run_until_stopped().await.map_err(fatal)
}
