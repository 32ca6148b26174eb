//! The pages of "Kjenner du ikke igjen denne?": what to do, the report to
//! the responsible organisation, and the citizen's cases.

use innsyn_domain::disputes::{Dispute, DisputeStatus, DisputedItem, ItemDetails, ItemRef};
use maud::{Markup, html};

use crate::BASE_PATH;
use crate::html::{Frame, layout, time_cell};
use crate::i18n::{Lang, T, decision_text};

/// The link from a history row to the page about it.
pub(crate) fn report_link(item: &ItemRef, lang: Lang) -> Markup {
    html! {
        a.report href={ (BASE_PATH) "/meld-fra?sak=" (item) "&lang=" (lang.code()) } {
            (T::DontRecognise.get(lang))
        }
    }
}

/// Who answers for the item, as a citizen reads it: "NAV (889640782)".
fn organisation_text(item: &DisputedItem) -> Option<String> {
    let org = item.organisation.as_ref()?;
    let name = match &item.details {
        ItemDetails::Login { service_name, .. } => service_name.clone(),
        ItemDetails::Access { application, .. } => Some(application.clone()),
    };
    Some(match name {
        Some(n) => format!("{n} ({})", org.as_str()),
        None => org.as_str().to_owned(),
    })
}

/// The steps that fit the eID a login used: whoever issued it can block it.
fn eid_steps(eid: Option<&str>) -> T {
    let eid = eid.unwrap_or("").to_ascii_lowercase();
    if eid.contains("bankid") {
        T::StepsBankId
    } else if eid.contains("minid") {
        T::StepsMinId
    } else if eid.contains("buypass") {
        T::StepsBuypass
    } else if eid.contains("commfides") {
        T::StepsCommfides
    } else if eid.contains("eidas") || eid.contains("federated") {
        T::StepsEidas
    } else {
        T::StepsOtherEid
    }
}

fn item_summary(frame: &Frame<'_>, item: &DisputedItem) -> Markup {
    let lang = frame.lang;
    html! {
        dl.item {
            dt { (T::When.get(lang)) }
            dd { (time_cell(item.occurred_at, frame.zone, lang)) }
            @match &item.details {
                ItemDetails::Login { service_name, eid, method } => {
                    dt { (T::Service.get(lang)) }
                    dd { (service_name.as_deref().or(item.client_id.as_deref()).unwrap_or(T::Unknown.get(lang))) }
                    dt { (T::Eid.get(lang)) }
                    dd { (eid.as_deref().unwrap_or(T::Unknown.get(lang))) @if let Some(m) = method { " " (m) } }
                }
                ItemDetails::Access { application, resource, action, purpose, decision } => {
                    dt { (T::Who.get(lang)) }
                    dd { (application) }
                    dt { (T::Resource.get(lang)) }
                    dd { (resource) }
                    dt { (T::Action.get(lang)) }
                    dd { (action) }
                    dt { (T::Purpose.get(lang)) }
                    dd { (purpose) }
                    dt { (T::Decision.get(lang)) }
                    dd { (decision_text(*decision).get(lang)) }
                }
            }
            dt { (T::Organisation.get(lang)) }
            dd { (organisation_text(item).unwrap_or_else(|| T::Unknown.get(lang).to_owned())) }
        }
    }
}

/// What the report page shows besides the item: a refused message (kept
/// in the form) and the reason it was refused.
pub(crate) struct ReportForm<'a> {
    pub(crate) csrf: &'a str,
    pub(crate) message: &'a str,
    pub(crate) error: Option<T>,
}

/// "Kjenner du ikke igjen denne?": the steps for this eID or look-up, then
/// the report to the organisation and "Dette var meg".
pub(crate) fn report_page(frame: &Frame<'_>, item: &DisputedItem, form: &ReportForm<'_>) -> Markup {
    let lang = frame.lang;
    let reference = item.reference.to_string();
    let steps = match &item.details {
        ItemDetails::Login { eid, .. } => eid_steps(eid.as_deref()),
        ItemDetails::Access { .. } => T::StepsLookup,
    };
    let main = html! {
        h1 { (T::DontRecognise.get(lang)) }
        @if let Some(error) = form.error {
            p.notice.attention role="alert" { (error.get(lang)) }
        }
        (item_summary(frame, item))
        section aria-labelledby="steg" {
            h2 id="steg" { (T::WhatToDo.get(lang)) }
            p { (steps.get(lang)) }
        }
        section aria-labelledby="meld" {
            h2 id="meld" { (T::ReportHeading.get(lang)) }
            @if let Some(org) = organisation_text(item) {
                p { (T::ReportIntro.get(lang)) }
                form method="post" action={ (BASE_PATH) "/meld-fra?lang=" (lang.code()) } {
                    input type="hidden" name="csrf" value=(form.csrf);
                    input type="hidden" name="sak" value=(reference);
                    div.field {
                        label for="melding" { (T::ReportMessage.get(lang)) }
                        textarea id="melding" name="melding" maxlength="1000" rows="5" { (form.message) }
                    }
                    button type="submit" id="meld-fra" { (T::ReportTo.get(lang)) " " (org) }
                }
            } @else {
                p.notice.attention { (T::Unroutable.get(lang)) }
            }
        }
        section aria-labelledby="meg" {
            h2 id="meg" { (T::ItWasMeHeading.get(lang)) }
            form method="post" action={ (BASE_PATH) "/dette-var-meg?lang=" (lang.code()) } {
                input type="hidden" name="csrf" value=(form.csrf);
                input type="hidden" name="sak" value=(reference);
                button type="submit" id="dette-var-meg" { (T::ItWasMe.get(lang)) }
            }
        }
        p { a href={ (BASE_PATH) "?lang=" (lang.code()) } { (T::BackToStart.get(lang)) } }
    };
    layout(frame, T::DontRecognise.get(lang), main)
}

fn status_text(s: DisputeStatus) -> T {
    match s {
        DisputeStatus::Open => T::CaseOpen,
        DisputeStatus::Answered => T::CaseAnswered,
        DisputeStatus::Closed => T::CaseClosed,
    }
}

/// What the cases page says on top: the case just sent, or the one that
/// already existed for the item.
pub(crate) enum CasesNotice {
    None,
    Sent(String),
    Existed(String),
}

/// The citizen's cases, newest first, with status and answers.
pub(crate) fn cases_page(frame: &Frame<'_>, cases: &[Dispute], notice: &CasesNotice) -> Markup {
    let lang = frame.lang;
    let main = html! {
        h1 { (T::CasesHeading.get(lang)) }
        @match notice {
            CasesNotice::Sent(id) => p.notice role="status" { (T::CaseSent.get(lang)) " " strong.case-id { (id) } },
            CasesNotice::Existed(id) => p.notice role="status" { (T::CaseExisted.get(lang)) " " strong.case-id { (id) } },
            CasesNotice::None => {},
        }
        @if cases.is_empty() {
            p.empty { (T::NoCases.get(lang)) }
        }
        @for d in cases {
            article.case id={ "sak-" (d.id) } aria-labelledby={ "sak-h-" (d.id) } {
                h2 id={ "sak-h-" (d.id) } { (T::CaseWord.get(lang)) " " (d.id) }
                p.status { span class={ "case-status " (d.status.as_str()) } { (status_text(d.status).get(lang)) } }
                p { (T::Opened.get(lang)) " " (time_cell(d.opened_at, frame.zone, lang)) }
                (item_summary(frame, &d.item))
                @if let Some(m) = &d.message {
                    h3 { (T::YourMessage.get(lang)) }
                    p.message { (m.as_str()) }
                }
                @if let Some(a) = &d.answer {
                    h3 { (T::TheirAnswer.get(lang)) " (" (time_cell(d.updated_at, frame.zone, lang)) ")" }
                    p.answer { (a.as_str()) }
                }
            }
        }
        p { a href={ (BASE_PATH) "?lang=" (lang.code()) } { (T::BackToStart.get(lang)) } }
    };
    layout(frame, T::CasesHeading.get(lang), main)
}
