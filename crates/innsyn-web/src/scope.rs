//! What the filters select, in words, for the counts above a table and
//! its empty state ("Ingen merkede innlogginger de siste 30 dagene på
//! Skattemeldingen").

use innsyn_app::citizen::PageView;

use crate::i18n::{Lang, decision_text};
use crate::view::{Filters, Period};

fn period(p: Period, lang: Lang) -> &'static str {
    match (p, lang) {
        (Period::Days7, Lang::Nb) => "de siste 7 dagene",
        (Period::Days30, Lang::Nb) => "de siste 30 dagene",
        (Period::Days90, Lang::Nb) => "de siste 3 månedene",
        (Period::Year, Lang::Nb) => "de siste 12 månedene",
        (Period::All, Lang::Nb) => "i hele historikken",
        (Period::Days7, Lang::En) => "in the last 7 days",
        (Period::Days30, Lang::En) => "in the last 30 days",
        (Period::Days90, Lang::En) => "in the last 3 months",
        (Period::Year, Lang::En) => "in the last 12 months",
        (Period::All, Lang::En) => "in all your history",
    }
}

/// The chosen service by the name the filter shows.
fn service<'a>(f: &'a Filters, data: &'a PageView) -> Option<&'a str> {
    let id = f.service.as_deref()?;
    Some(
        data.services
            .iter()
            .find(|s| s.client_id == id)
            .map_or(id, |s| s.label.as_str()),
    )
}

/// "de siste 30 dagene på Skattemeldingen": the period and service of the
/// login table.
pub(crate) fn logins_scope(f: &Filters, data: &PageView, lang: Lang) -> String {
    let mut out = period(f.period, lang).to_owned();
    if let Some(s) = service(f, data) {
        out.push_str(if lang == Lang::Nb { " på " } else { " to " });
        out.push_str(s);
    }
    out
}

/// The empty login table, naming what was asked for.
pub(crate) fn no_logins(f: &Filters, data: &PageView, lang: Lang) -> String {
    let scope = logins_scope(f, data, lang);
    match (lang, f.only_flagged) {
        (Lang::Nb, true) => format!("Ingen merkede innlogginger {scope}."),
        (Lang::Nb, false) => format!("Ingen innlogginger {scope}."),
        (Lang::En, true) => format!("No marked logins {scope}."),
        (Lang::En, false) => format!("No logins {scope}."),
    }
}

/// The count above the login table: as many as the filters select, of
/// which so many are marked, the same rows the table pages through.
pub(crate) fn flagged_summary(f: &Filters, data: &PageView, lang: Lang) -> String {
    let scope = logins_scope(f, data, lang);
    let (n, marked) = (data.logins_in_view, data.flagged_in_view);
    match (lang, marked) {
        (Lang::Nb, 0) => {
            format!("Ingen av de {n} innloggingene {scope} skiller seg ut fra vanene dine.")
        }
        (Lang::En, 0) => format!("None of the {n} logins {scope} stands out from your habits."),
        (Lang::Nb, m) => format!("{m} av {n} innlogginger {scope} er merket for en ekstra titt."),
        (Lang::En, m) => format!("{m} of {n} logins {scope} are marked for a second look."),
    }
}

/// The empty look-up table, naming what was asked for.
pub(crate) fn no_access(f: &Filters, data: &PageView, lang: Lang) -> String {
    let mut scope = period(f.period, lang).to_owned();
    if let Some(s) = service(f, data) {
        scope.push_str(if lang == Lang::Nb { " av " } else { " by " });
        scope.push_str(s);
    }
    if let Some(d) = f.decision {
        let words = decision_text(d).get(lang);
        match lang {
            Lang::Nb => scope.push_str(&format!(" med utfallet «{words}»")),
            Lang::En => scope.push_str(&format!(" with the decision “{words}”")),
        }
    }
    match lang {
        Lang::Nb => format!("Ingen har hentet opplysninger om deg {scope}."),
        Lang::En => format!("Nobody retrieved information about you {scope}."),
    }
}
