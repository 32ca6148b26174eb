//! The citizen's copy of their own history (GDPR articles 15 and 20), as
//! CSV (RFC 4180) and JSON. Column names are stable and language-neutral so
//! that programs can read the files; times are local (with offset) in CSV
//! for people and RFC 3339 in both.

use innsyn_domain::{AccessHistoryEntry, LoginFlag, LoginHistoryEntry, Zone, login_flags};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One CSV field: quoted when it holds a separator, quote, line break or
/// edge whitespace, with quotes doubled. A field a spreadsheet would run as
/// a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`: the
/// file is meant to be opened by citizens, and record fields come from
/// third parties.
pub(crate) fn csv_field(raw: &str) -> String {
    let guarded;
    let value = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{raw}");
        guarded.as_str()
    } else {
        raw
    };
    let needs_quotes = value.contains([',', '"', '\n', '\r'])
        || value.starts_with(' ')
        || value.ends_with(' ')
        || value.starts_with('\'');
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_line(out: &mut String, fields: &[&str]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn flag_codes(flags: &[LoginFlag]) -> String {
    flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(" ")
}

/// A byte-order mark first: spreadsheet programs otherwise guess a legacy
/// encoding and garble æ, ø and å.
const BOM: &str = "\u{feff}";

/// The login events as CSV, newest first.
pub(crate) fn logins_csv(events: &[LoginHistoryEntry], zone: Zone) -> String {
    let flags = login_flags(events, zone);
    let mut out = String::from(BOM);
    csv_line(
        &mut out,
        &[
            "tidspunkt",
            "tjeneste",
            "integrasjon_id",
            "orgno",
            "eid",
            "metode",
            "merknad",
        ],
    );
    for (e, f) in events.iter().zip(&flags) {
        csv_line(
            &mut out,
            &[
                &rfc3339(zone.to_local(e.occurred_at)),
                e.service_name.as_deref().unwrap_or(""),
                e.client_id.as_deref().unwrap_or(""),
                e.orgno.as_ref().map(|o| o.as_str()).unwrap_or(""),
                e.eid.as_deref().unwrap_or(""),
                e.method.as_deref().unwrap_or(""),
                &flag_codes(f),
            ],
        );
    }
    out
}

/// The access records as CSV, newest first, with the API's field names.
pub(crate) fn access_csv(records: &[AccessHistoryEntry], zone: Zone) -> String {
    let mut out = String::from(BOM);
    csv_line(
        &mut out,
        &[
            "timestamp",
            "id",
            "application",
            "clientId",
            "resource",
            "resourceUrn",
            "action",
            "purpose",
            "decision",
        ],
    );
    for r in records {
        csv_line(
            &mut out,
            &[
                &rfc3339(zone.to_local(r.occurred_at)),
                &r.id.to_string(),
                &r.application,
                &r.client_id,
                &r.resource,
                r.resource_urn.as_deref().unwrap_or(""),
                &r.action,
                &r.purpose,
                r.decision.as_str(),
            ],
        );
    }
    out
}

/// Both histories as one JSON document. Login events use seed 1's field
/// names (plus the eID and method apart, and the hints); access records the
/// seed-2 API's.
pub(crate) fn history_json(
    events: &[LoginHistoryEntry],
    records: &[AccessHistoryEntry],
    zone: Zone,
    now: OffsetDateTime,
) -> serde_json::Value {
    let flags = login_flags(events, zone);
    let logins: Vec<_> = events
        .iter()
        .zip(&flags)
        .map(|(e, f)| {
            json!({
                "tidspunkt": rfc3339(zone.to_local(e.occurred_at)),
                "tjeneste": e.service_name,
                "eid": e.eid_label(),
                "integrasjon_id": e.client_id,
                "orgno": e.orgno.as_ref().map(|o| o.as_str()),
                "auth_eid": e.eid,
                "auth_method": e.method,
                "merknader": f.iter().map(|f| f.code()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let access: Vec<_> = records
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "timestamp": rfc3339(zone.to_local(r.occurred_at)),
                "application": r.application,
                "clientId": r.client_id,
                "resource": r.resource,
                "resourceUrn": r.resource_urn,
                "action": r.action,
                "purpose": r.purpose,
                "decision": r.decision.as_str(),
            })
        })
        .collect();
    json!({
        "generated": rfc3339(zone.to_local(now)),
        "timeZone": zone.name(),
        "loginEvents": logins,
        "accessHistory": access,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::Decision;
    use time::macros::datetime;

    #[test]
    fn plain_fields_stay_plain() {
        assert_eq!(csv_field("MinID"), "MinID");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("Skatteetaten æøå"), "Skatteetaten æøå");
    }

    #[test]
    fn separators_quotes_and_breaks_are_quoted() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\rlf"), "\"cr\rlf\"");
        assert_eq!(csv_field(" padded "), "\" padded \"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "\"'+1\"");
        assert_eq!(csv_field("-1"), "\"'-1\"");
        assert_eq!(csv_field("@SUM(A1)"), "\"'@SUM(A1)\"");
    }

    fn event() -> LoginHistoryEntry {
        LoginHistoryEntry {
            occurred_at: datetime!(2019-03-07 08:26:36 UTC),
            service_name: Some("DIREKTORATET FOR FORVALTNING OG IKT, avd. \"test\"".into()),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            client_id: Some("oidc_test".into()),
            orgno: Some("991825827".parse().unwrap()),
        }
    }

    #[test]
    fn login_csv_has_header_local_times_and_quoting() {
        let csv = logins_csv(&[event()], Zone::oslo());
        let mut lines = csv.strip_prefix(BOM).unwrap().split("\r\n");
        assert_eq!(
            lines.next(),
            Some("tidspunkt,tjeneste,integrasjon_id,orgno,eid,metode,merknad")
        );
        assert_eq!(
            lines.next(),
            Some(
                "2019-03-07T09:26:36+01:00,\"DIREKTORATET FOR FORVALTNING OG IKT, avd. \"\"test\"\"\",oidc_test,991825827,MinID,PIN,"
            )
        );
        assert_eq!(lines.next(), Some(""));
    }

    #[test]
    fn access_csv_uses_api_names() {
        let r = AccessHistoryEntry {
            id: uuid_of(1),
            occurred_at: datetime!(2024-05-01 08:00 UTC),
            application: "Skatteetaten".into(),
            client_id: "ske".into(),
            resource: "skattemelding".into(),
            resource_urn: None,
            action: "read".into(),
            purpose: "tax, assessment".into(),
            decision: Decision::Deny,
        };
        let csv = access_csv(&[r], Zone::oslo());
        assert!(csv.contains(
            "timestamp,id,application,clientId,resource,resourceUrn,action,purpose,decision\r\n"
        ));
        assert!(csv.contains(
            "2024-05-01T10:00:00+02:00,00000000-0000-0000-0000-000000000001,Skatteetaten,ske,skattemelding,,read,\"tax, assessment\",Deny\r\n"
        ));
    }

    /// The exact bytes of a small download: BOM, header, `,` separator,
    /// CRLF after every record, quoting only where needed (separator,
    /// quote, line break, edge space, defused formula), quotes doubled.
    #[test]
    fn export_bytes_are_pinned() {
        let mut e = event();
        e.service_name = Some("Etat, \"avd\"\nlinje 2".into());
        e.method = Some(" PIN ".into());
        e.eid = None;
        let logins = logins_csv(&[e], Zone::oslo());
        assert_eq!(
            logins.as_bytes(),
            b"\xef\xbb\xbftidspunkt,tjeneste,integrasjon_id,orgno,eid,metode,merknad\r\n\
              2019-03-07T09:26:36+01:00,\"Etat, \"\"avd\"\"\nlinje 2\",oidc_test,991825827,,\" PIN \",\r\n"
        );
        let r = AccessHistoryEntry {
            id: uuid_of(2),
            occurred_at: datetime!(2024-05-01 08:00 UTC),
            application: "=cmd|' /C calc'!A0".into(),
            client_id: "-1".into(),
            resource: "æøå".into(),
            resource_urn: Some("urn:a,b".into()),
            action: "read\r\nwrite".into(),
            purpose: "'quoted'".into(),
            decision: Decision::Permit,
        };
        let access = access_csv(&[r], Zone::oslo());
        assert_eq!(
            access,
            "\u{feff}timestamp,id,application,clientId,resource,resourceUrn,action,purpose,decision\r\n\
             2024-05-01T10:00:00+02:00,00000000-0000-0000-0000-000000000002,\"'=cmd|' /C calc'!A0\",\"'-1\",æøå,\"urn:a,b\",\"read\r\nwrite\",\"'quoted'\",Permit\r\n"
        );
        assert_eq!(access_csv(&[], Zone::oslo()).matches("\r\n").count(), 1);
    }

    fn uuid_of(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(n)
    }

    #[test]
    fn json_holds_both_histories() {
        let v = history_json(
            &[event()],
            &[],
            Zone::oslo(),
            datetime!(2024-05-15 12:00 UTC),
        );
        assert_eq!(v["timeZone"], "Europe/Oslo");
        assert_eq!(
            v["loginEvents"][0]["tidspunkt"],
            "2019-03-07T09:26:36+01:00"
        );
        assert_eq!(v["loginEvents"][0]["eid"], "MinID PIN");
        assert_eq!(v["loginEvents"][0]["orgno"], "991825827");
        assert_eq!(v["accessHistory"], serde_json::json!([]));
    }
}
