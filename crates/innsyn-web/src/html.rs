//! The page's HTML, compiled into the binary (maud escapes every value).
//! Semantic elements, a skip link, labelled form controls, table captions
//! and header cells; no script and no inline style (the CSP forbids both).

use innsyn_domain::{AccessHistoryEntry, Decision, Zone};
use maud::{DOCTYPE, Markup, html};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::BASE_PATH;
use crate::disputes_html::report_link;
use crate::i18n::{Lang, T, decision_text};
use crate::marks::mark_words;
use crate::plain;
use crate::return_to::ReturnTo;
use crate::scope;
use innsyn_app::citizen::{LoginRow, PageView};
use innsyn_domain::disputes::ItemRef;

use crate::view::{Filters, PageParams, Period};

/// What the frame around every page needs.
pub(crate) struct Frame<'a> {
    pub(crate) lang: Lang,
    /// The link that shows this page in the other language.
    pub(crate) switch_href: String,
    /// The logout form's CSRF token, when logged in.
    pub(crate) logout_csrf: Option<&'a str>,
    pub(crate) zone: Zone,
}

pub(crate) fn layout(frame: &Frame<'_>, title: &str, main: Markup) -> Markup {
    let l = frame.lang;
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (T::SiteName.get(l)) }
                link rel="stylesheet" href={ (BASE_PATH) "/static/style.css" };
                link rel="icon" href="/favicon.ico" type="image/svg+xml";
            }
            body {
                a.skip href="#main" { (T::SkipToContent.get(l)) }
                header.site {
                    div.bar {
                        a.brand href=(BASE_PATH) { (T::SiteName.get(l)) }
                        nav aria-label=(if l == Lang::Nb { "Språk og konto" } else { "Language and account" }) {
                            a.lang href=(frame.switch_href) lang=(l.other().code()) hreflang=(l.other().code()) {
                                (T::SwitchLanguage.get(l))
                            }
                            @if let Some(csrf) = frame.logout_csrf {
                                form.logout method="post" action={ (BASE_PATH) "/logg-ut" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { (T::Logout.get(l)) }
                                }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" { (main) }
                footer.site {
                    p { (T::Footer.get(l)) " " (frame.zone.name()) "." }
                }
            }
        }
    }
}

/// `07.03.2019 kl. 09:26` (bokmål) or `7 Mar 2019, 09:26` (English), local.
pub(crate) fn local_time(t: OffsetDateTime, zone: Zone, lang: Lang) -> String {
    let l = zone.to_local(t);
    match lang {
        Lang::Nb => format!(
            "{:02}.{:02}.{} kl. {:02}:{:02}",
            l.day(),
            u8::from(l.month()),
            l.year(),
            l.hour(),
            l.minute()
        ),
        Lang::En => {
            let month = l.month().to_string();
            format!(
                "{} {} {}, {:02}:{:02}",
                l.day(),
                month.get(..3).unwrap_or(&month),
                l.year(),
                l.hour(),
                l.minute()
            )
        }
    }
}

pub(crate) fn time_cell(t: OffsetDateTime, zone: Zone, lang: Lang) -> Markup {
    let machine = zone.to_local(t).format(&Rfc3339).unwrap_or_default();
    html! { time datetime=(machine) { (local_time(t, zone, lang)) } }
}

/// `?a=b&c=d` from the set fields, percent-encoded.
fn query_string(p: &PageParams) -> String {
    // Only optional strings: serializing cannot fail.
    let s = serde_urlencoded::to_string(p).unwrap_or_default();
    if s.is_empty() { s } else { format!("?{s}") }
}

/// The link to this view with other parameters.
pub(crate) fn page_href(params: &PageParams) -> String {
    format!("{BASE_PATH}{}", query_string(params))
}

fn pager(lang: Lang, label: &str, page: u64, more: bool, href: impl Fn(u64) -> String) -> Markup {
    html! {
        @if page > 0 || more {
            nav.pager aria-label=(label) {
                @if page > 0 {
                    a rel="prev" href=(href(page - 1)) { "← " (T::Newer.get(lang)) }
                }
                span { (T::PageWord.get(lang)) " " (page + 1) }
                @if more {
                    a rel="next" href=(href(page + 1)) { (T::Older.get(lang)) " →" }
                }
            }
        }
    }
}

fn period_text(p: Period) -> T {
    match p {
        Period::Days7 => T::Period7d,
        Period::Days30 => T::Period30d,
        Period::Days90 => T::Period90d,
        Period::Year => T::Period1y,
        Period::All => T::PeriodAll,
    }
}

fn filters_form(lang: Lang, f: &Filters, data: &PageView) -> Markup {
    html! {
        section.filters aria-labelledby="filters-h" {
            h2 id="filters-h" { (T::FiltersHeading.get(lang)) }
            form method="get" action=(BASE_PATH) {
                input type="hidden" name="lang" value=(lang.code());
                div.field {
                    label for="periode" { (T::Period.get(lang)) }
                    select id="periode" name="periode" {
                        @for p in Period::ALL {
                            option value=(p.code()) selected[p == f.period] { (period_text(p).get(lang)) }
                        }
                    }
                }
                div.field {
                    label for="tjeneste" { (T::Service.get(lang)) }
                    select id="tjeneste" name="tjeneste" {
                        option value="" { (T::AllServices.get(lang)) }
                        @for s in &data.services {
                            option value=(s.client_id) selected[f.service.as_deref() == Some(s.client_id.as_str())] { (s.label) }
                        }
                    }
                }
                div.field.check {
                    input type="checkbox" id="merket" name="merket" value=(crate::view::ONLY_FLAGGED) checked[f.only_flagged];
                    label for="merket" { (T::OnlyFlagged.get(lang)) }
                }
                div.field {
                    label for="utfall" { (T::DecisionFilter.get(lang)) }
                    select id="utfall" name="utfall" {
                        option value="" { (T::AllDecisions.get(lang)) }
                        @for d in Decision::ALL {
                            option value=(d.as_str()) selected[f.decision == Some(d)] { (decision_text(d).get(lang)) }
                        }
                    }
                }
                div.actions {
                    button type="submit" { (T::Apply.get(lang)) }
                    a href={ (BASE_PATH) "?lang=" (lang.code()) } { (T::Reset.get(lang)) }
                }
            }
        }
    }
}

/// The link to the section `anchor` with the login table at `login_page`
/// and the access table at `access_page` (0-based), filters as they are.
fn pages_href(f: &Filters, lang: Lang, login_page: u64, access_page: u64, anchor: &str) -> String {
    format!("{}#{anchor}", view_href(f, lang, login_page, access_page))
}

/// The page in `lang` with these filters and the tables at these pages
/// (0-based): the language switch keeps the view.
pub(crate) fn view_href(f: &Filters, lang: Lang, login_page: u64, access_page: u64) -> String {
    let mut p = f.params();
    p.lang = Some(lang.code().to_owned());
    p.side = (login_page > 0).then(|| (login_page + 1).to_string());
    p.oppslagside = (access_page > 0).then(|| (access_page + 1).to_string());
    page_href(&p)
}

/// A history table (`class`) that scrolls on its own inside the section
/// headed `#section`: caption, column heads, rows.
pub(crate) fn history_table(
    lang: Lang,
    section: &str,
    class: &str,
    caption: T,
    heads: &[T],
    rows: Markup,
) -> Markup {
    html! {
        div.scroll role="region" aria-labelledby=(section) tabindex="0" {
            table class=(class) {
                caption { (caption.get(lang)) }
                thead {
                    tr {
                        @for head in heads {
                            th scope="col" { (head.get(lang)) }
                        }
                    }
                }
                tbody { (rows) }
            }
        }
    }
}

fn logins_section(frame: &Frame<'_>, f: &Filters, data: &PageView) -> Markup {
    let lang = frame.lang;
    let href = |page: u64| pages_href(f, lang, page, f.access_page, "innlogginger");
    let flagged_only = |only: bool| {
        let mut other = f.clone();
        other.only_flagged = only;
        pages_href(&other, lang, 0, f.access_page, "innlogginger")
    };
    let heads = [T::When, T::Service, T::Organisation, T::Eid, T::Note];
    let rows = html! {
        @for row in &data.logins {
            (login_row(row, frame, &data.names))
        }
    };
    html! {
        section aria-labelledby="innlogginger" {
            h2 id="innlogginger" { (T::LoginsHeading.get(lang)) }
            @if !data.logins.is_empty() {
                @if data.flagged_in_view > 0 {
                    p.notice.attention role="status" {
                        (scope::flagged_summary(f, data, lang)) " "
                        @if f.only_flagged {
                            (T::ShowingOnlyFlagged.get(lang)) " "
                            a href=(flagged_only(false)) { (T::ShowAll.get(lang)) }
                        } @else {
                            a href=(flagged_only(true)) { (T::ShowOnlyFlagged.get(lang)) }
                        }
                    }
                } @else {
                    p.notice role="status" { (scope::flagged_summary(f, data, lang)) }
                }
            }
            @if data.logins.is_empty() {
                p.empty {
                    (scope::no_logins(f, data, lang))
                    @if f.period != Period::All || f.service.is_some() { " " (T::TryWider.get(lang)) }
                }
            } @else {
                (history_table(lang, "innlogginger", "logins", T::LoginsCaption, &heads, rows))
            }
            (pager(lang, T::LoginsHeading.get(lang), f.login_page, data.logins_more, href))
        }
    }
}

// Each cell carries its column's name: on a phone the rows become cards
// and the name stands before the value (style.css, `data-label`).
fn login_row(row: &LoginRow, frame: &Frame<'_>, names: &innsyn_domain::PlainNames) -> Markup {
    let (lang, e) = (frame.lang, &row.entry);
    html! {
        tr class=[(!row.flags.is_empty()).then_some("flagged")] {
            td data-label=(T::When.get(lang)) { (time_cell(e.occurred_at, frame.zone, lang)) }
            td data-label=(T::Service.get(lang)) { (plain::login_service(e, names, lang)) }
            td data-label=(T::Organisation.get(lang)) { (plain::login_organisation(e, names)) }
            td data-label=(T::Eid.get(lang)) { (plain::login_eid(e, lang)) }
            td data-label=(T::Note.get(lang)) {
                @if !row.flags.is_empty() {
                    ul.flags {
                        @for flag in &row.flags {
                            li { span.flag-mark aria-hidden="true" { "!" } " " (mark_words(flag, e, lang)) }
                        }
                    }
                }
                @if row.confirmed {
                    small.confirmed { (T::ConfirmedRow.get(lang)) }
                } @else {
                    (report_link(&ItemRef::Login(e.key.clone()), lang))
                }
            }
        }
    }
}

fn access_section(frame: &Frame<'_>, f: &Filters, data: &PageView) -> Markup {
    let lang = frame.lang;
    let href = |page: u64| pages_href(f, lang, f.login_page, page, "oppslag");
    let heads = [T::When, T::WhatHappened, T::Decision, T::Note];
    let rows = html! {
        @for r in &data.access {
            (access_row(r, frame, &data.names))
        }
    };
    html! {
        section aria-labelledby="oppslag" {
            h2 id="oppslag" { (T::AccessHeading.get(lang)) }
            @if data.access.is_empty() {
                p.empty { (scope::no_access(f, data, lang)) }
            } @else {
                (history_table(lang, "oppslag", "access", T::AccessCaption, &heads, rows))
            }
            (pager(lang, T::AccessHeading.get(lang), f.access_page, data.access_more, href))
        }
    }
}

fn access_row(
    r: &AccessHistoryEntry,
    frame: &Frame<'_>,
    names: &innsyn_domain::PlainNames,
) -> Markup {
    let lang = frame.lang;
    let class = match r.decision {
        Decision::Permit => "decision permit",
        Decision::Deny => "decision deny",
        Decision::NotApplicable | Decision::Indeterminate => "decision other",
    };
    html! {
        tr {
            td data-label=(T::When.get(lang)) { (time_cell(r.occurred_at, frame.zone, lang)) }
            td data-label=(T::WhatHappened.get(lang)) {
                (plain::access_sentence(r, names, lang))
                @if plain::access_who(r, names) != r.application {
                    br; small { (T::Via.get(lang)) " " (r.application) }
                }
            }
            td data-label=(T::Decision.get(lang)) { span class=(class) { (plain::decision_explained(r.decision).get(lang)) } }
            td data-label=(T::Note.get(lang)) { (report_link(&ItemRef::Access(r.id), lang)) }
        }
    }
}

fn download_section(lang: Lang) -> Markup {
    html! {
        section aria-labelledby="last-ned" {
            h2 id="last-ned" { (T::DownloadHeading.get(lang)) }
            p { (T::DownloadIntro.get(lang)) }
            ul.downloads {
                li { a href={ (BASE_PATH) "/eksport/innlogginger.csv?lang=" (lang.code()) } download { (T::DownloadLoginsCsv.get(lang)) } }
                li { a href={ (BASE_PATH) "/eksport/oppslag.csv?lang=" (lang.code()) } download { (T::DownloadAccessCsv.get(lang)) } }
                li { a href={ (BASE_PATH) "/eksport/historikk.json" } download { (T::DownloadJson.get(lang)) } }
            }
        }
    }
}

/// The citizen's page.
pub(crate) fn history_page(frame: &Frame<'_>, f: &Filters, data: &PageView) -> Markup {
    let lang = frame.lang;
    let main = html! {
        h1 { (T::Title.get(lang)) }
        p.intro { (T::Intro.get(lang)) }
        (filters_form(lang, f, data))
        (logins_section(frame, f, data))
        (access_section(frame, f, data))
        (crate::reads_html::reads_section(frame, data))
        p.cases-link { a href={ (BASE_PATH) "/saker?lang=" (lang.code()) } { (T::CasesLink.get(lang)) } }
        (download_section(lang))
    };
    layout(frame, T::Title.get(lang), main)
}

/// What the login page should say above the button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginNotice {
    None,
    LoggedOut,
    Failed,
    Expired,
}

/// The page a visitor without a session sees.
pub(crate) fn login_page(
    frame: &Frame<'_>,
    notice: LoginNotice,
    provider: bool,
    dev_picker: bool,
    return_to: Option<&ReturnTo>,
) -> Markup {
    let lang = frame.lang;
    let back = crate::return_to::param_of(return_to);
    let main = html! {
        h1 { (T::Title.get(lang)) }
        @match notice {
            LoginNotice::LoggedOut => p.notice role="status" { (T::LoggedOut.get(lang)) },
            LoginNotice::Failed => p.notice.attention role="alert" { (T::LoginFailed.get(lang)) },
            LoginNotice::Expired => p.notice.attention role="alert" id="expired" { (T::SessionExpired.get(lang)) },
            LoginNotice::None => {},
        }
        section.login aria-labelledby="login-h" {
            h2 id="login-h" { (T::LoginHeading.get(lang)) }
            p { (T::LoginIntro.get(lang)) }
            @if provider {
                p { a.button id="login" href={ (BASE_PATH) "/logg-inn/start?lang=" (lang.code()) (back) } { (T::LoginButton.get(lang)) } }
            } @else if !dev_picker {
                p.notice.attention { (T::LoginUnavailable.get(lang)) }
            }
            @if dev_picker {
                p { a href={ (BASE_PATH) "/dev-login?lang=" (lang.code()) (back) } { (T::DevLink.get(lang)) } }
            }
        }
    };
    layout(frame, T::Title.get(lang), main)
}

/// The development-only demo-citizen picker.
pub(crate) fn dev_picker_page(
    frame: &Frame<'_>,
    subjects: &[String],
    csrf: &str,
    return_to: Option<&ReturnTo>,
) -> Markup {
    let lang = frame.lang;
    let main = html! {
        h1 { (T::DevHeading.get(lang)) }
        p.notice.attention { (T::DevIntro.get(lang)) }
        form method="post" action={ (BASE_PATH) "/dev-login?lang=" (lang.code()) } {
            input type="hidden" name="csrf" value=(csrf);
            @if let Some(r) = return_to {
                input type="hidden" name="tilbake" value=(r.as_str());
            }
            fieldset {
                legend { (T::DevChoose.get(lang)) }
                @for (i, entry) in subjects.iter().enumerate() {
                    @let (id, label) = crate::dev_subject(entry);
                    div.choice {
                        input type="radio" id={ "demo-" (i) } name="subject" value=(id) checked[i == 0];
                        label for={ "demo-" (i) } { (label) @if label != id { " · " (id) } }
                    }
                }
            }
            button type="submit" { (T::DevSubmit.get(lang)) }
        }
    };
    layout(frame, T::DevHeading.get(lang), main)
}

/// A short error page: no details, which could hold identifiers.
pub(crate) fn error_page(frame: &Frame<'_>, message: T) -> Markup {
    let lang = frame.lang;
    let main = html! {
        h1 { (T::ErrorTitle.get(lang)) }
        p { (message.get(lang)) }
        p { a href={ (BASE_PATH) "?lang=" (lang.code()) } { (T::BackToStart.get(lang)) } }
    };
    layout(frame, T::ErrorTitle.get(lang), main)
}

/// The stylesheet, served from the binary.
pub(crate) const STYLE_CSS: &str = include_str!("../assets/style.css");
