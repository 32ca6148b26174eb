//! The citizen's copy of their own history (GDPR articles 15 and 20). The
//! CSV files are for people: in the page's language, with the separator
//! their spreadsheet expects (`;` in Norway, where `,` is the decimal
//! mark), marks and decisions in words. The JSON file is for programs and
//! `innsyn verify`: [`innsyn_app::citizen::HistoryDocument`].

use innsyn_app::citizen::local_rfc3339;
use innsyn_domain::{AccessHistoryEntry, LoginHistoryEntry, Zone, login_flags};

use crate::i18n::{Lang, T, decision_text};
use crate::marks::marks_words;

/// The field separator spreadsheets expect for `lang`.
fn separator(lang: Lang) -> char {
    match lang {
        Lang::Nb => ';',
        Lang::En => ',',
    }
}

/// One CSV field: quoted when it holds the separator, a quote, a line
/// break or edge whitespace, with quotes doubled. A field a spreadsheet
/// would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading `'`: the file is meant to be opened by citizens, and record
/// fields come from third parties.
pub(crate) fn csv_field(raw: &str, sep: char) -> String {
    let guarded;
    let value = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{raw}");
        guarded.as_str()
    } else {
        raw
    };
    let needs_quotes = value.contains([sep, '"', '\n', '\r'])
        || value.starts_with(' ')
        || value.ends_with(' ')
        || value.starts_with('\'');
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_line(out: &mut String, fields: &[&str], sep: char) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f, sep)).collect();
    out.push_str(&line.join(&sep.to_string()));
    out.push_str("\r\n");
}

fn header(out: &mut String, columns: &[T], lang: Lang) {
    let names: Vec<&str> = columns.iter().map(|c| c.get(lang)).collect();
    csv_line(out, &names, separator(lang));
}

/// A byte-order mark first: spreadsheet programs otherwise guess a legacy
/// encoding and garble æ, ø and å.
const BOM: &str = "\u{feff}";

/// The login events as CSV in `lang`, newest first.
pub(crate) fn logins_csv(events: &[LoginHistoryEntry], zone: Zone, lang: Lang) -> String {
    let flags = login_flags(events, zone);
    let mut out = String::from(BOM);
    header(
        &mut out,
        &[
            T::ColTime,
            T::ColService,
            T::ColClient,
            T::ColOrgno,
            T::ColEid,
            T::ColMethod,
            T::ColMarks,
        ],
        lang,
    );
    for (e, f) in events.iter().zip(&flags) {
        csv_line(
            &mut out,
            &[
                &local_rfc3339(e.occurred_at, zone),
                e.service_name.as_deref().unwrap_or(""),
                e.client_id.as_deref().unwrap_or(""),
                e.orgno.as_ref().map(|o| o.as_str()).unwrap_or(""),
                e.eid.as_deref().unwrap_or(""),
                e.method.as_deref().unwrap_or(""),
                &marks_words(f, e, lang),
            ],
            separator(lang),
        );
    }
    out
}

/// The access records as CSV in `lang`, newest first.
pub(crate) fn access_csv(records: &[AccessHistoryEntry], zone: Zone, lang: Lang) -> String {
    let mut out = String::from(BOM);
    header(
        &mut out,
        &[
            T::ColTime,
            T::ColId,
            T::ColApplication,
            T::ColClient,
            T::ColResource,
            T::ColResourceUrn,
            T::ColAction,
            T::ColPurpose,
            T::ColDecision,
        ],
        lang,
    );
    for r in records {
        csv_line(
            &mut out,
            &[
                &local_rfc3339(r.occurred_at, zone),
                &r.id.to_string(),
                &r.application,
                &r.client_id,
                &r.resource,
                r.resource_urn.as_deref().unwrap_or(""),
                &r.action,
                &r.purpose,
                decision_text(r.decision).get(lang),
            ],
            separator(lang),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::Decision;
    use time::macros::datetime;

    #[test]
    fn plain_fields_stay_plain() {
        assert_eq!(csv_field("MinID", ','), "MinID");
        assert_eq!(csv_field("", ','), "");
        assert_eq!(csv_field("Skatteetaten æøå", ';'), "Skatteetaten æøå");
    }

    #[test]
    fn separators_quotes_and_breaks_are_quoted() {
        assert_eq!(csv_field("a,b", ','), "\"a,b\"");
        assert_eq!(csv_field("a,b", ';'), "a,b");
        assert_eq!(csv_field("a;b", ';'), "\"a;b\"");
        assert_eq!(csv_field("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines", ','), "\"two\nlines\"");
        assert_eq!(csv_field("cr\rlf", ','), "\"cr\rlf\"");
        assert_eq!(csv_field(" padded ", ','), "\" padded \"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            csv_field("=HYPERLINK(\"x\")", ','),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv_field("+1", ','), "\"'+1\"");
        assert_eq!(csv_field("-1", ';'), "\"'-1\"");
        assert_eq!(csv_field("@SUM(A1)", ','), "\"'@SUM(A1)\"");
    }

    fn event() -> LoginHistoryEntry {
        LoginHistoryEntry {
            key: innsyn_domain::disputes::LoginKey::new(vec![1]),
            occurred_at: datetime!(2019-03-07 08:26:36 UTC),
            service_name: Some("DIREKTORATET FOR FORVALTNING OG IKT, avd. \"test\"".into()),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            client_id: Some("oidc_test".into()),
            orgno: Some("991825827".parse().unwrap()),
        }
    }

    #[test]
    fn login_csv_is_in_the_pages_language_with_its_separator() {
        let nb = logins_csv(&[event()], Zone::oslo(), Lang::Nb);
        let mut lines = nb.strip_prefix(BOM).unwrap().split("\r\n");
        assert_eq!(
            lines.next(),
            Some("Tidspunkt;Tjeneste;Klient-ID;Organisasjonsnummer;eID;Metode;Merknad")
        );
        // A comma is no separator in Norway, so this name is quoted only
        // for its quotes; a first login carries no mark.
        assert_eq!(
            lines.next(),
            Some(
                "2019-03-07T09:26:36+01:00;\"DIREKTORATET FOR FORVALTNING OG IKT, avd. \"\"test\"\"\";oidc_test;991825827;MinID;PIN;"
            )
        );
        assert_eq!(lines.next(), Some(""));
        let en = logins_csv(&[event()], Zone::oslo(), Lang::En);
        assert!(
            en.starts_with(
                "\u{feff}Time,Service,Client ID,Organisation number,eID,Method,Note\r\n"
            )
        );
    }

    /// The exact bytes of a small download: BOM, header, the language's
    /// separator, CRLF after every record, quoting only where needed
    /// (separator, quote, line break, edge space, defused formula), quotes
    /// doubled, the decision in words.
    #[test]
    fn export_bytes_are_pinned() {
        let r = AccessHistoryEntry {
            id: uuid_of(2),
            occurred_at: datetime!(2024-05-01 08:00 UTC),
            application: "=cmd|' /C calc'!A0".into(),
            client_id: "-1".into(),
            resource: "æøå".into(),
            resource_urn: Some("urn:a;b".into()),
            action: "read\r\nwrite".into(),
            purpose: "'quoted'".into(),
            decision: Decision::Deny,
            orgno: None,
        };
        let access = access_csv(std::slice::from_ref(&r), Zone::oslo(), Lang::Nb);
        assert_eq!(
            access,
            "\u{feff}Tidspunkt;ID;Applikasjon;Klient-ID;Ressurs;Ressurs-URN;Handling;Formål;Utfall\r\n\
             2024-05-01T10:00:00+02:00;00000000-0000-0000-0000-000000000002;\"'=cmd|' /C calc'!A0\";\"'-1\";æøå;\"urn:a;b\";\"read\r\nwrite\";\"'quoted'\";Avslått\r\n"
        );
        let en = access_csv(&[r], Zone::oslo(), Lang::En);
        assert!(
            en.ends_with(",urn:a;b,\"read\r\nwrite\",\"'quoted'\",Denied\r\n"),
            "{en}"
        );
        assert_eq!(
            access_csv(&[], Zone::oslo(), Lang::En)
                .matches("\r\n")
                .count(),
            1
        );
    }

    fn uuid_of(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(n)
    }
}
