//! Outbound HTTP (discovery, JWKS, introspection, token exchange) on a
//! runtime of its own.
//!
//! reqwest keeps connections to the issuer in a pool, each driven by a task
//! on the runtime that opened it. The server runs one single-threaded
//! runtime per actix worker, and at shutdown an idle worker stops at once:
//! the pooled connections it opened die with it, and a request still in
//! flight on another worker that takes one of them fails ("Token issuer
//! unavailable" moments after SIGTERM, with the issuer up). On a runtime
//! that lives as long as the client, no worker's lifetime reaches into
//! another worker's requests.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use oauth2::{AsyncHttpClient, HttpClientError, HttpRequest, HttpResponse};

/// A reqwest client whose requests run on a background runtime.
#[derive(Clone)]
pub(crate) struct Outbound {
    client: reqwest::Client,
    runtime: Arc<Background>,
}

/// The runtime, shut down without waiting when the last client goes: a
/// request still running then is abandoned (its caller is gone too).
struct Background(Option<tokio::runtime::Runtime>);

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Outbound {
    /// Runs `client`'s requests on one background thread of their own
    /// (they are few and short: the caches absorb the rest).
    pub(crate) fn new(client: reqwest::Client) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("innsyn-outbound-http")
            .enable_all()
            .build()?;
        Ok(Outbound {
            client,
            runtime: Arc::new(Background(Some(runtime))),
        })
    }
}

type Answer = Result<HttpResponse, HttpClientError<reqwest::Error>>;

impl<'c> AsyncHttpClient<'c> for Outbound {
    type Error = HttpClientError<reqwest::Error>;
    type Future = Pin<Box<dyn Future<Output = Answer> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        let client = self.client.clone();
        let task = self
            .runtime
            .0
            .as_ref()
            .map(|rt| rt.spawn(async move { AsyncHttpClient::call(&client, request).await }));
        Box::pin(async move {
            match task {
                Some(task) => task
                    .await
                    .map_err(|e| HttpClientError::Other(format!("outbound request task: {e}")))?,
                None => Err(HttpClientError::Other("outbound runtime is gone".into())),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request runs (and fails to connect) on the background runtime,
    /// whatever runtime the caller is on, and its error comes back.
    #[test]
    fn a_request_runs_on_the_background_runtime() {
        let out = Outbound::new(reqwest::Client::new()).unwrap();
        let caller = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let request = oauth2::http::Request::builder()
            .uri("http://127.0.0.1:9/")
            .body(Vec::new())
            .unwrap();
        let answer = caller.block_on(AsyncHttpClient::call(&out, request));
        assert!(
            matches!(answer, Err(HttpClientError::Reqwest(_))),
            "{answer:?}"
        );
    }
}
