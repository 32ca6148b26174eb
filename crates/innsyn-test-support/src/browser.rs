//! Debian's Chromium under chromedriver, for the browser tests of the
//! page (`innsyn-web`) and of `innsyn dev` (`innsyn-server`). A missing
//! browser fails the test: it is never skipped. With the feature
//! `browser`, [`Browser`] is the WebDriver session with the waits both
//! tests use.

use std::fs::File;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// Debian's `chromium`.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's `chromium-driver`.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// `target/browser-screenshots/` of the workspace, created: where every
/// browser test puts its screenshots and logs, for CI to keep.
///
/// # Panics
/// When the directory cannot be created.
#[must_use]
pub fn screenshots_dir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// Fails at once, naming the package, when the browser is not installed.
///
/// # Panics
/// When either binary is missing.
pub fn require_browser() {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: the browser test needs Debian's `{package}` \
             (apt-get install -y chromium chromium-driver)"
        );
    }
}

/// chromedriver on a free port, its log in `logs`, once it accepts
/// connections (at most 20 s). The caller owns (and must kill) the child.
///
/// # Panics
/// When it cannot be started or does not listen in time.
pub fn start_chromedriver(logs: &Path) -> (Child, u16) {
    let port = crate::free_port();
    let log = File::create(logs.join("chromedriver.log")).expect("the chromedriver log");
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

/// WebDriver capabilities of a headless Chromium with its profile in
/// `profile` and, when given, downloads saved to `downloads` unasked.
pub fn chromium_capabilities(profile: &Path, downloads: Option<&Path>) -> Map<String, Value> {
    let mut options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1280,1500",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    if let Some(dir) = downloads {
        options["prefs"] = json!({
            "download.default_directory": dir.display().to_string(),
            "download.prompt_for_download": false,
        });
    }
    let mut caps = Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

#[cfg(feature = "browser")]
pub use session::Browser;

#[cfg(feature = "browser")]
mod session {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use fantoccini::{Client, ClientBuilder, Locator};
    use hyper_util::client::legacy::connect::HttpConnector;

    use super::{chromium_capabilities, require_browser, start_chromedriver};
    use crate::KillOnDrop;

    /// A headless Chromium session; screenshots go to `artifacts`.
    pub struct Browser {
        /// The WebDriver client.
        pub client: Client,
        artifacts: PathBuf,
        _driver: KillOnDrop,
    }

    impl Browser {
        /// Starts chromedriver (log in `artifacts`) and a session with its
        /// profile in `profile` and downloads, if any, in `downloads`.
        ///
        /// # Panics
        /// When the browser is missing or will not start.
        pub async fn start(artifacts: &Path, profile: &Path, downloads: Option<&Path>) -> Self {
            require_browser();
            let (driver, port) = start_chromedriver(artifacts);
            let driver = KillOnDrop(driver);
            let client = ClientBuilder::new(HttpConnector::new())
                .capabilities(chromium_capabilities(profile, downloads))
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .expect("chromedriver would not start a Chromium session; see chromedriver.log");
            Self {
                client,
                artifacts: artifacts.to_owned(),
                _driver: driver,
            }
        }

        /// Saves a screenshot as `name` in the artifacts.
        ///
        /// # Panics
        /// When the browser or the disk refuses.
        pub async fn screenshot(&self, name: &str) {
            let png = self.client.screenshot().await.expect("a screenshot");
            std::fs::write(self.artifacts.join(name), png).expect("the screenshot is saved");
        }

        /// Waits (at most 30 s) until the current URL passes `ok`; on time
        /// out saves `failure.png` and fails naming `what`.
        ///
        /// # Panics
        /// On time out.
        pub async fn wait_for_url(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let url = self
                    .client
                    .current_url()
                    .await
                    .expect("the current URL")
                    .to_string();
                if ok(&url) {
                    return url;
                }
                if Instant::now() > deadline {
                    self.screenshot("failure.png").await;
                    panic!("timed out waiting for {what}; the browser is at {url}");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }

        /// The page's visible text.
        ///
        /// # Panics
        /// When the page has no body.
        pub async fn body_text(&self) -> String {
            self.client
                .find(Locator::Css("body"))
                .await
                .expect("a body")
                .text()
                .await
                .expect("its text")
        }
    }
}
