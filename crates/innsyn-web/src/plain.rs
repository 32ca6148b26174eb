//! Codes in plain words: the catalog's names for organisations, resources,
//! actions and purposes, eIDs as people know them, decisions explained.
//! A code the catalog does not name is shown as it is.

use innsyn_domain::{
    AccessHistoryEntry, Decision, LabelKind, LoginHistoryEntry, OrgNumber, PlainNames,
};

use crate::i18n::{Lang, T};

/// eID, method (`None`: any), bokmål, English: the pairs ID-porten reports
/// whose words are not simply the two names.
const EID_WORDS: [(&str, Option<&str>, &str, &str); 5] = [
    (
        "minid",
        Some("pin"),
        "MinID med PIN-kode",
        "MinID with PIN code",
    ),
    (
        "minid",
        Some("otc"),
        "MinID med engangskode",
        "MinID with one-time code",
    ),
    ("minid", Some("app"), "MinID med app", "MinID with the app"),
    (
        "bankid",
        Some("bankid mobil"),
        "BankID på mobil",
        "BankID on mobile",
    ),
    (
        "eidas",
        None,
        "eID fra et annet europeisk land (eIDAS)",
        "eID from another European country (eIDAS)",
    ),
];

/// "BankID", "MinID med engangskode": the eID and method ID-porten reports,
/// named once. Known pairs have their own words; otherwise the method alone
/// when it already names the eID, else both.
pub(crate) fn eid_name(eid: Option<&str>, method: Option<&str>, lang: Lang) -> Option<String> {
    let eid = eid?;
    let (e, m) = (eid.to_lowercase(), method.map(str::to_lowercase));
    let known = EID_WORDS
        .iter()
        .find(|(ke, km, ..)| *ke == e && km.is_none_or(|km| m.as_deref() == Some(km)));
    if let Some((_, _, nb, en)) = known {
        return Some(if lang == Lang::Nb { nb } else { en }.to_string());
    }
    Some(match (method, m) {
        (Some(method), Some(m)) if m.contains(&e) => method.to_owned(),
        (Some(_), Some(m)) if lang == Lang::Nb => format!("{eid} med {m}"),
        (Some(_), Some(m)) => format!("{eid} with {m}"),
        _ => eid.to_owned(),
    })
}

/// The eID of a login in words, or "Ukjent".
pub(crate) fn login_eid(e: &LoginHistoryEntry, lang: Lang) -> String {
    eid_name(e.eid.as_deref(), e.method.as_deref(), lang)
        .or_else(|| e.method.clone())
        .unwrap_or_else(|| T::Unknown.get(lang).to_owned())
}

/// "NAV (889640782)"; the number alone when the catalog has no name.
pub(crate) fn organisation(orgno: &OrgNumber, names: &PlainNames) -> String {
    match names.organisation(orgno) {
        Some(name) => format!("{name} ({})", orgno.as_str()),
        None => orgno.as_str().to_owned(),
    }
}

/// The service of a login: the catalog's application for its client, else
/// the name the event carried, else the client id.
pub(crate) fn login_service<'a>(
    e: &'a LoginHistoryEntry,
    names: &'a PlainNames,
    lang: Lang,
) -> &'a str {
    e.client_id
        .as_deref()
        .and_then(|id| names.client(id))
        .map(|c| c.application.as_str())
        .or(e.service_name.as_deref())
        .or(e.client_id.as_deref())
        .unwrap_or(T::Unknown.get(lang))
}

/// The organisation behind a login, from its own number or its client's.
pub(crate) fn login_organisation(e: &LoginHistoryEntry, names: &PlainNames) -> String {
    let client_org = e
        .client_id
        .as_deref()
        .and_then(|id| names.client(id))
        .and_then(|c| c.orgno.as_ref());
    e.orgno
        .as_ref()
        .or(client_org)
        .map(|o| organisation(o, names))
        .unwrap_or_default()
}

/// Who made a look-up: its organisation in words, else the application.
pub(crate) fn access_who(r: &AccessHistoryEntry, names: &PlainNames) -> String {
    let client_org = names.client(&r.client_id).and_then(|c| c.orgno.as_ref());
    match r.orgno.as_ref().or(client_org) {
        Some(o) => organisation(o, names),
        None => r.application.clone(),
    }
}

fn label<'a>(names: &'a PlainNames, kind: LabelKind, code: &'a str, lang: Lang) -> Option<&'a str> {
    names.label(kind, code, lang == Lang::En)
}

/// The resource of a look-up in words.
pub(crate) fn access_resource<'a>(
    r: &'a AccessHistoryEntry,
    names: &'a PlainNames,
    lang: Lang,
) -> &'a str {
    label(names, LabelKind::Resource, &r.resource, lang).unwrap_or(&r.resource)
}

/// The purpose of a look-up in words.
pub(crate) fn access_purpose<'a>(
    r: &'a AccessHistoryEntry,
    names: &'a PlainNames,
    lang: Lang,
) -> &'a str {
    label(names, LabelKind::Purpose, &r.purpose, lang).unwrap_or(&r.purpose)
}

/// "NAV (889640782) leste arbeidsforhold — formål: saksbehandling". An
/// action's label is a past-tense verb; without one the code is set apart.
pub(crate) fn access_sentence(r: &AccessHistoryEntry, names: &PlainNames, lang: Lang) -> String {
    let who = access_who(r, names);
    let what = access_resource(r, names, lang);
    let purpose = access_purpose(r, names, lang);
    let did = match label(names, LabelKind::Action, &r.action, lang) {
        Some(verb) => format!("{who} {verb} {what}"),
        None => format!("{who}: {} {what}", r.action),
    };
    format!("{did} — {} {purpose}", T::PurposeWord.get(lang))
}

/// A decision with what it meant for the citizen's data.
pub(crate) fn decision_explained(d: Decision) -> T {
    match d {
        Decision::Permit => T::PermitExplained,
        Decision::Deny => T::DenyExplained,
        Decision::NotApplicable => T::NotApplicableExplained,
        Decision::Indeterminate => T::IndeterminateExplained,
    }
}
