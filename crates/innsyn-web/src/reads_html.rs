//! The page's section "Hvem har sett historikken din" (issue 15): the
//! newest reads of the citizen's history, in plain words.

use innsyn_app::citizen::PageView;
use innsyn_domain::AccessHistoryEntry;
use innsyn_domain::records::{LOGIN_HISTORY_RESOURCE, ReadPurpose};
use maud::{Markup, html};

use crate::html::{Frame, history_table, time_cell};
use crate::i18n::T;

pub(crate) fn reads_section(frame: &Frame<'_>, data: &PageView) -> Markup {
    let lang = frame.lang;
    let heads = [T::When, T::Who, T::ReadWhich, T::ReadGrounds];
    let rows = html! {
        @for r in &data.history_reads {
            (read_row(r, frame, data))
        }
    };
    html! {
        section aria-labelledby="lesinger" {
            h2 id="lesinger" { (T::ReadsHeading.get(lang)) }
            p { (T::ReadsIntro.get(lang)) }
            @if data.history_reads.is_empty() {
                p.empty { (T::NoReads.get(lang)) }
            } @else {
                (history_table(lang, "lesinger", "reads", T::ReadsCaption, &heads, rows))
            }
        }
    }
}

fn read_row(r: &AccessHistoryEntry, frame: &Frame<'_>, data: &PageView) -> Markup {
    let lang = frame.lang;
    let which = if r.resource == LOGIN_HISTORY_RESOURCE {
        T::ReadLogins
    } else {
        T::ReadAccess
    };
    let grounds = if r.purpose == ReadPurpose::Audit.as_str() {
        T::GroundsAudit
    } else {
        T::GroundsInnsyn
    };
    html! {
        tr {
            td { (time_cell(r.occurred_at, frame.zone, lang)) }
            td {
                @let who = crate::plain::access_who(r, &data.names);
                (who)
                @if who != r.application { br; small { (T::Via.get(lang)) " " (r.application) } }
            }
            td { (which.get(lang)) }
            td { (grounds.get(lang)) }
        }
    }
}
