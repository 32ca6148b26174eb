//! Plain words for the catalog's codes: the organisation behind an
//! organisation number, and display names (bokmål and English) for
//! resources, actions and purposes. Citizens read these; the codes stay
//! what the API filters on.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ClientEntry;
use super::names::{name, optional};
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;

/// Which list of codes a label belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    /// A resource name.
    Resource,
    /// An action name. Its label is a past-tense verb ("leste", "read"), so
    /// a look-up reads as a sentence: "NAV leste arbeidsforhold".
    Action,
    /// A purpose name.
    Purpose,
}

impl LabelKind {
    /// Every kind, in path order.
    pub const ALL: [LabelKind; 3] = [LabelKind::Resource, LabelKind::Action, LabelKind::Purpose];

    /// The kind's name in paths and documents.
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Resource => "resource",
            LabelKind::Action => "action",
            LabelKind::Purpose => "purpose",
        }
    }

    /// The kind named `raw` (exact).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// A display name for one code, in bokmål and, when given, English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelEntry {
    /// The list the code is in.
    pub kind: LabelKind,
    /// The code, as records carry it (`read`, `skattemelding`).
    pub name: String,
    /// Bokmål.
    pub nb: String,
    /// English; bokmål stands in when absent.
    pub en: Option<String>,
}

impl LabelEntry {
    /// A label from an administrator's input: `kind` one of
    /// [`LabelKind::ALL`], `name`, `nb` and (blank = none) `en` catalog
    /// names. Every bad field is reported.
    pub fn validate(
        kind: &str,
        code: &str,
        nb: &str,
        en: Option<&str>,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let kind_of = LabelKind::parse(kind);
        if kind_of.is_none() {
            errors.push("kind", "must be one of resource, action, purpose");
        }
        let code = name(&mut errors, "name", code);
        let nb = name(&mut errors, "nb", nb);
        let en = match optional(en) {
            None => Some(None),
            Some(e) => name(&mut errors, "en", e).map(Some),
        };
        errors.finish(|| {
            Some(Self {
                kind: kind_of?,
                name: code?,
                nb: nb?,
                en: en?,
            })
        })
    }

    /// The label in English (`true`) or bokmål.
    pub fn text(&self, english: bool) -> &str {
        match (&self.en, english) {
            (Some(en), true) => en,
            _ => &self.nb,
        }
    }
}

/// The organisation behind an organisation number, by the name citizens
/// know it by ("NAV", not "ARBEIDS- OG VELFERDSETATEN").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationEntry {
    /// Its organisation number.
    pub orgno: OrgNumber,
    /// Its name.
    pub name: String,
}

impl OrganisationEntry {
    /// An organisation from an administrator's input. Every bad field is
    /// reported.
    pub fn validate(orgno: &str, org_name: &str) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let orgno = errors.check("orgno", OrgNumber::parse(orgno));
        let org_name = name(&mut errors, "name", org_name);
        errors.finish(|| {
            Some(Self {
                orgno: orgno?,
                name: org_name?,
            })
        })
    }
}

/// The codes one page shows, to be put in plain words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamesWanted {
    /// Client ids (their application and organisation).
    pub client_ids: BTreeSet<String>,
    /// Organisation numbers.
    pub orgnos: BTreeSet<OrgNumber>,
    /// Codes to label.
    pub labels: BTreeSet<(LabelKind, String)>,
}

impl NamesWanted {
    /// Asks for the label of `code` in `kind`'s list.
    pub fn label(&mut self, kind: LabelKind, code: &str) {
        self.labels.insert((kind, code.to_owned()));
    }

    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        self.client_ids.is_empty() && self.orgnos.is_empty() && self.labels.is_empty()
    }
}

/// What the catalog knows of the codes asked for; a code it does not know
/// is simply absent, and the page shows the code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainNames {
    /// The asked-for clients the catalog holds.
    pub clients: BTreeMap<String, ClientEntry>,
    /// Names of the asked-for organisations and of the organisations of
    /// the clients found.
    pub organisations: BTreeMap<OrgNumber, String>,
    /// The asked-for labels the catalog holds.
    pub labels: BTreeMap<(LabelKind, String), LabelEntry>,
}

impl PlainNames {
    /// The organisation's name.
    pub fn organisation(&self, orgno: &OrgNumber) -> Option<&str> {
        self.organisations.get(orgno).map(String::as_str)
    }

    /// The client's catalog entry.
    pub fn client(&self, client_id: &str) -> Option<&ClientEntry> {
        self.clients.get(client_id)
    }

    /// The label of `code` in `kind`'s list, in English or bokmål.
    pub fn label(&self, kind: LabelKind, code: &str, english: bool) -> Option<&str> {
        self.labels
            .get(&(kind, code.to_owned()))
            .map(|l| l.text(english))
    }
}
