//! The downloads (GDPR articles 15 and 20): CSV per table, JSON of both.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::citizen::{ExportRequest, HistoryDocument};

use super::cookies::{LangParam, language, require_citizen};
use super::respond::load_error;
use crate::WebState;

/// `innsyn-<what>-<date>.<ext>`, as an attachment.
fn download(content_type: &str, what: &str, ext: &str, date: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "innsyn-{what}-{date}.{ext}"
            ))],
        })
        .body(body)
}

enum ExportKind {
    LoginsCsv,
    AccessCsv,
    Json,
}

async fn export(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
    kind: ExportKind,
) -> HttpResponse {
    // The page links its downloads with its own language.
    let (lang, _) = language(&req, q.lang.as_deref());
    let (_, session) = match require_citizen(&req, &state, lang, None).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let request = ExportRequest {
        logins: !matches!(kind, ExportKind::AccessCsv),
        access: !matches!(kind, ExportKind::LoginsCsv),
        proofs: matches!(kind, ExportKind::Json),
    };
    let export = match state
        .inner()
        .service
        .citizen_export(&session.subject, request)
        .await
    {
        Ok(e) => e,
        Err(e) => return load_error(&state, lang, e),
    };
    let zone = state.inner().service.zone();
    let date = zone.to_local(export.generated_at).date().to_string();
    match kind {
        ExportKind::LoginsCsv => download(
            "text/csv; charset=utf-8",
            "innlogginger",
            "csv",
            &date,
            crate::export::logins_csv(&export.logins, zone, lang),
        ),
        ExportKind::AccessCsv => download(
            "text/csv; charset=utf-8",
            "oppslag",
            "csv",
            &date,
            crate::export::access_csv(&export.access, zone, lang),
        ),
        ExportKind::Json => download(
            "application/json",
            "historikk",
            "json",
            &date,
            serde_json::to_string_pretty(&HistoryDocument::of(&export, zone)).unwrap_or_default(),
        ),
    }
}

pub(super) async fn export_logins_csv(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    export(req, state, q, ExportKind::LoginsCsv).await
}

pub(super) async fn export_access_csv(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    export(req, state, q, ExportKind::AccessCsv).await
}

pub(super) async fn export_json(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    export(req, state, q, ExportKind::Json).await
}
