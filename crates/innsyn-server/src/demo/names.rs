//! The demo catalog's plain words: the organisations by the names people
//! know them by, and bokmål and English for every code the demo uses.

use innsyn_domain::{LabelEntry, LabelKind, OrgNumber, OrganisationEntry};

/// Organisation numbers and short names.
const ORGANISATIONS: [(&str, &str); 6] = [
    ("889640782", "NAV"),
    ("974761076", "Skatteetaten"),
    ("960885406", "Lånekassen"),
    ("994598759", "Norsk helsenett"),
    ("991825827", "Digitaliseringsdirektoratet"),
    ("974760673", "Brønnøysundregistrene"),
];

/// Kind, code, bokmål, English.
const LABELS: [(LabelKind, &str, &str, &str); 18] = [
    (LabelKind::Action, "read", "leste", "read"),
    (LabelKind::Action, "write", "endret", "changed"),
    (
        LabelKind::Resource,
        "nav-arbeidsforhold",
        "arbeidsforholdene dine",
        "your employment records",
    ),
    (
        LabelKind::Resource,
        "skattemelding",
        "skattemeldingen din",
        "your tax return",
    ),
    (
        LabelKind::Resource,
        "utdanningsstotte",
        "utdanningsstøtten din",
        "your student support",
    ),
    (
        LabelKind::Resource,
        "pasientjournal",
        "pasientjournalen din",
        "your patient record",
    ),
    (
        LabelKind::Resource,
        "altinn-innboks",
        "innboksen din i Altinn",
        "your Altinn inbox",
    ),
    (
        LabelKind::Resource,
        "enhetsregisteret-roller",
        "rollene dine i Enhetsregisteret",
        "your roles in the Register of Legal Entities",
    ),
    (
        LabelKind::Resource,
        "innsyn:login-history",
        "innloggingshistorikken din",
        "your login history",
    ),
    (
        LabelKind::Resource,
        "innsyn:access-history",
        "oppslagshistorikken din",
        "your look-up history",
    ),
    (
        LabelKind::Purpose,
        "saksbehandling",
        "saksbehandling",
        "case handling",
    ),
    (
        LabelKind::Purpose,
        "skatteberegning",
        "skatteberegning",
        "tax assessment",
    ),
    (
        LabelKind::Purpose,
        "helsehjelp",
        "helsehjelp",
        "health care",
    ),
    (
        LabelKind::Purpose,
        "innsyn",
        "innsyn på dine vegne",
        "access on your behalf",
    ),
    (
        LabelKind::Purpose,
        "registerforing",
        "registerføring",
        "register keeping",
    ),
    (LabelKind::Purpose, "audit", "tilsyn", "audit"),
    (LabelKind::Action, "delete", "slettet", "deleted"),
    (LabelKind::Action, "create", "opprettet", "created"),
];

pub(super) fn organisations() -> Vec<OrganisationEntry> {
    ORGANISATIONS
        .iter()
        .filter_map(|(orgno, name)| {
            Some(OrganisationEntry {
                orgno: OrgNumber::parse(orgno).ok()?,
                name: (*name).to_owned(),
            })
        })
        .collect()
}

pub(super) fn labels() -> Vec<LabelEntry> {
    LABELS
        .iter()
        .map(|(kind, name, nb, en)| LabelEntry {
            kind: *kind,
            name: (*name).to_owned(),
            nb: (*nb).to_owned(),
            en: Some((*en).to_owned()),
        })
        .collect()
}
