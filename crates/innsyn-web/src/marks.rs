//! A mark in one plain sentence that says what is usual for the person.

use innsyn_domain::insights::HourSpan;
use innsyn_domain::{LoginFlag, LoginHistoryEntry};

use crate::i18n::Lang;

fn usual_hours(span: HourSpan, lang: Lang) -> String {
    match lang {
        Lang::Nb => format!(
            "Du logger vanligvis inn mellom kl. {:02} og {:02}.",
            span.start,
            span.end()
        ),
        Lang::En => format!(
            "You usually log in between {:02}:00 and {:02}:00.",
            span.start,
            span.end()
        ),
    }
}

fn services(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Nb, 1) => "én annen tjeneste".to_owned(),
        (Lang::Nb, n) => format!("{n} andre tjenester"),
        (Lang::En, 1) => "one other service".to_owned(),
        (Lang::En, n) => format!("{n} other services"),
    }
}

/// Why `login` is marked with `flag`, and what is usual instead.
pub(crate) fn mark_words(flag: &LoginFlag, login: &LoginHistoryEntry, lang: Lang) -> String {
    match flag {
        LoginFlag::NewService { known_services } => match lang {
            Lang::Nb => format!(
                "Første gang du logget inn på denne tjenesten. Før det hadde du brukt {}.",
                services(*known_services, lang)
            ),
            Lang::En => format!(
                "The first time you logged in to this service. Before, you had used {}.",
                services(*known_services, lang)
            ),
        },
        LoginFlag::NewEid { usual } => {
            let eid = login
                .eid
                .as_deref()
                .or(login.method.as_deref())
                .unwrap_or("");
            let first = match lang {
                Lang::Nb => format!("Første gang du brukte {eid}."),
                Lang::En => format!("The first time you used {eid}."),
            };
            match (usual, lang) {
                (Some(u), Lang::Nb) => format!("{first} Du bruker vanligvis {u}."),
                (Some(u), Lang::En) => format!("{first} You usually use {u}."),
                (None, _) => first,
            }
        }
        LoginFlag::Night { usual, .. } => match (usual, lang) {
            (Some(span), Lang::Nb) => {
                format!("Innlogging om natten. {}", usual_hours(*span, lang))
            }
            (Some(span), Lang::En) => format!("A login at night. {}", usual_hours(*span, lang)),
            (None, Lang::Nb) => "Innlogging om natten, noe du ikke har gjort før.".to_owned(),
            (None, Lang::En) => "A login at night, which you had not done before.".to_owned(),
        },
        LoginFlag::UnusualHour { usual, .. } => match lang {
            Lang::Nb => format!(
                "Innlogging på et uvanlig tidspunkt. {}",
                usual_hours(*usual, lang)
            ),
            Lang::En => format!(
                "A login at an unusual time of day. {}",
                usual_hours(*usual, lang)
            ),
        },
    }
}

/// Every mark of a login, in one field (for the CSV file).
pub(crate) fn marks_words(flags: &[LoginFlag], login: &LoginHistoryEntry, lang: Lang) -> String {
    flags
        .iter()
        .map(|f| mark_words(f, login, lang))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn login() -> LoginHistoryEntry {
        LoginHistoryEntry {
            key: innsyn_domain::disputes::LoginKey::new(vec![1]),
            occurred_at: datetime!(2024-03-01 02:00 UTC),
            service_name: None,
            eid: Some("MinID".into()),
            method: Some("OTC".into()),
            client_id: None,
            orgno: None,
        }
    }

    #[test]
    fn every_mark_says_what_is_usual() {
        let span = HourSpan { start: 7, len: 16 };
        let night = LoginFlag::Night {
            local_hour: 3,
            usual: Some(span),
        };
        assert_eq!(
            mark_words(&night, &login(), Lang::Nb),
            "Innlogging om natten. Du logger vanligvis inn mellom kl. 07 og 23."
        );
        let eid = LoginFlag::NewEid {
            usual: Some("BankID".into()),
        };
        assert_eq!(
            mark_words(&eid, &login(), Lang::En),
            "The first time you used MinID. You usually use BankID."
        );
        let service = LoginFlag::NewService { known_services: 1 };
        assert!(mark_words(&service, &login(), Lang::Nb).ends_with("brukt én annen tjeneste."));
        let odd = LoginFlag::UnusualHour {
            local_hour: 5,
            usual: HourSpan { start: 8, len: 16 },
        };
        assert!(mark_words(&odd, &login(), Lang::En).ends_with("between 08:00 and 24:00."));
    }
}
