//! "Kjenner du ikke igjen denne?": the page about one item, the report and
//! "Dette var meg" (form posts with the session's token), and the cases.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::AppError;
use innsyn_domain::disputes::{DisputeListParams, DisputeParty, MAX_DISPUTE_PAGE};
use serde::Deserialize;

use super::cookies::{language, require_citizen};
use super::page::not_found_in;
use super::respond::{error_response, frame, load_error, respond, see_other};
use crate::disputes_html::{CasesNotice, ReportForm, cases_page, report_page};
use crate::i18n::{Lang, T};
use crate::session::{Session, same_secret};
use crate::{BASE_PATH, WebState};

#[derive(Debug, Default, Deserialize)]
pub(super) struct ItemQuery {
    sak: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ItemForm {
    csrf: Option<String>,
    sak: Option<String>,
    melding: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct CasesQuery {
    ny: Option<String>,
    finnes: Option<String>,
    lang: Option<String>,
}

/// The session of a logged-in citizen, or where to send them instead.
async fn citizen(
    req: &HttpRequest,
    state: &WebState,
    lang: Lang,
) -> Result<Session, Box<HttpResponse>> {
    require_citizen(req, state, lang, None)
        .await
        .map(|(_, s)| s)
        .map_err(Box::new)
}

/// The session, when the form carries its token.
async fn posting_citizen(
    req: &HttpRequest,
    state: &WebState,
    lang: Lang,
    form: &ItemForm,
) -> Result<Session, Box<HttpResponse>> {
    let s = citizen(req, state, lang).await?;
    if form
        .csrf
        .as_deref()
        .is_some_and(|c| same_secret(c, &s.csrf))
    {
        Ok(s)
    } else {
        tracing::warn!("citizen page: a dispute form without a valid form token");
        Err(Box::new(error_response(
            state,
            lang,
            StatusCode::FORBIDDEN,
            T::FormExpired,
        )))
    }
}

/// The page about one item of the citizen's history; `refused` keeps a
/// message that was not accepted, with the reason.
async fn item_page(
    state: &WebState,
    lang: Lang,
    s: &Session,
    item: &str,
    refused: Option<(&str, T, StatusCode)>,
) -> HttpResponse {
    let found = match state
        .inner()
        .service
        .disputable_item(&s.subject, item)
        .await
    {
        Ok(found) => found,
        Err(AppError::InvalidParams(_)) => return not_found_in(state, lang),
        Err(e) => return load_error(state, lang, e),
    };
    let switch = format!(
        "{BASE_PATH}/meld-fra?sak={item}&lang={}",
        lang.other().code()
    );
    let f = frame(state, lang, switch, Some(&s.csrf));
    let (message, error, status) =
        refused.map_or(("", None, StatusCode::OK), |(m, e, st)| (m, Some(e), st));
    let form = ReportForm {
        csrf: &s.csrf,
        message,
        error,
    };
    respond(status, report_page(&f, &found, &form), Vec::new())
}

pub(super) async fn report_page_of(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<ItemQuery>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let s = match citizen(&req, &state, lang).await {
        Ok(s) => s,
        Err(to_login) => return *to_login,
    };
    item_page(&state, lang, &s, q.sak.as_deref().unwrap_or(""), None).await
}

pub(super) async fn report(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<ItemQuery>,
    form: web::Form<ItemForm>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let s = match posting_citizen(&req, &state, lang, &form).await {
        Ok(s) => s,
        Err(refused) => return *refused,
    };
    let item = form.sak.as_deref().unwrap_or("");
    let message = form.melding.as_deref();
    let cases = |key: &str, id: &dyn std::fmt::Display| {
        format!("{BASE_PATH}/saker?{key}={id}&lang={}#sak-{id}", lang.code())
    };
    match state
        .inner()
        .service
        .open_dispute(&s.subject, item, message)
        .await
    {
        Ok(d) => see_other(&cases("ny", &d.id), Vec::new()),
        Err(AppError::AlreadyDisputed(d)) => see_other(&cases("finnes", &d.id), Vec::new()),
        Err(AppError::InvalidParams(p)) if p.params().iter().any(|p| p.name == "message") => {
            let kept = (
                message.unwrap_or(""),
                T::MessageRefused,
                StatusCode::BAD_REQUEST,
            );
            item_page(&state, lang, &s, item, Some(kept)).await
        }
        Err(AppError::InvalidParams(_)) => not_found_in(&state, lang),
        Err(AppError::Unroutable) => {
            let kept = (
                message.unwrap_or(""),
                T::Unroutable,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            item_page(&state, lang, &s, item, Some(kept)).await
        }
        Err(e) => load_error(&state, lang, e),
    }
}

pub(super) async fn confirm(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<ItemQuery>,
    form: web::Form<ItemForm>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let s = match posting_citizen(&req, &state, lang, &form).await {
        Ok(s) => s,
        Err(refused) => return *refused,
    };
    let item = form.sak.as_deref().unwrap_or("");
    match state.inner().service.confirm_item(&s.subject, item).await {
        Ok(()) => see_other(
            &format!("{BASE_PATH}?lang={}#innlogginger", lang.code()),
            Vec::new(),
        ),
        Err(AppError::InvalidParams(_)) => not_found_in(&state, lang),
        Err(e) => load_error(&state, lang, e),
    }
}

pub(super) async fn cases(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<CasesQuery>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let s = match citizen(&req, &state, lang).await {
        Ok(s) => s,
        Err(to_login) => return *to_login,
    };
    let params = DisputeListParams {
        limit: Some(MAX_DISPUTE_PAGE.to_string()),
        ..DisputeListParams::default()
    };
    let party = DisputeParty::Citizen(s.subject.clone());
    let page = match state.inner().service.disputes(party, &params).await {
        Ok(page) => page,
        Err(e) => return load_error(&state, lang, e),
    };
    // Only ids of the citizen's own cases are echoed back.
    let own = |raw: &Option<String>| {
        raw.as_deref()
            .filter(|id| page.cases.iter().any(|d| d.id.to_string() == *id))
            .map(str::to_owned)
    };
    let notice = match (own(&q.ny), own(&q.finnes)) {
        (Some(id), _) => CasesNotice::Sent(id),
        (None, Some(id)) => CasesNotice::Existed(id),
        (None, None) => CasesNotice::None,
    };
    let switch = format!("{BASE_PATH}/saker?lang={}", lang.other().code());
    let f = frame(&state, lang, switch, Some(&s.csrf));
    respond(
        StatusCode::OK,
        cases_page(&f, &page.cases, &notice),
        Vec::new(),
    )
}
