//! The Origin check on every form POST of the page.
//!
//! A form posted from another site carries that site's `Origin`; SameSite
//! cookies stop most of what such a post could do, the per-form tokens the
//! rest, and this check refuses it before any handler runs (defence in
//! depth, OWASP's "verifying origin with standard headers"). A request
//! without `Origin` (curl, an old browser) or with `Origin: null` (what a
//! browser sends under `Referrer-Policy: no-referrer`, from a sandboxed
//! frame, or after a redirect) is let through to the form token, which it
//! must still carry. The page's own policy is `same-origin`, so its forms
//! arrive with their real origin.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

/// Whether `origin` (the header's value) names the host the request was
/// sent to. Only the authority is compared: behind a TLS-terminating proxy
/// the scheme the server sees is not the browser's.
fn same_origin(origin: &str, host: &str) -> bool {
    let authority = origin
        .split_once("://")
        .map_or("", |(_, rest)| rest.trim_end_matches('/'));
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

/// Refuses (403) a POST whose `Origin` names another site.
pub(super) async fn check_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() == Method::POST
        && let Some(origin) = req.headers().get(header::ORIGIN)
        && origin.as_bytes() != b"null"
    {
        let host = req.connection_info().host().to_owned();
        let allowed = origin.to_str().is_ok_and(|o| same_origin(o, &host));
        if !allowed {
            tracing::warn!("citizen page: a form post from another origin refused");
            let res = HttpResponse::Forbidden()
                .content_type("text/plain; charset=utf-8")
                .body("Forbidden: this form may only be sent from this site.");
            return Ok(req.into_response(res));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn only_the_same_authority_is_the_same_origin() {
        assert!(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same_origin(
            "https://Innsyn.Example.no",
            "innsyn.example.no"
        ));
        assert!(!same_origin("https://evil.example", "innsyn.example.no"));
        assert!(!same_origin("http://127.0.0.1:9999", "127.0.0.1:8080"));
        assert!(!same_origin("null", "127.0.0.1:8080"));
        assert!(!same_origin("", "127.0.0.1:8080"));
    }
}
