//! The page's filters as the form sends them, and what they ask the use
//! case for.

use innsyn_app::citizen::ViewRequest;
use innsyn_domain::Decision;
use innsyn_domain::timespec::{Span, TimeUnit};
use serde::{Deserialize, Serialize};

/// The value of `merket` that asks for marked logins only.
pub(crate) const ONLY_FLAGGED: &str = "ja";

/// Rows per table page.
pub(crate) const PAGE_SIZE: u16 = 20;

/// The choices of the period filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Period {
    Days7,
    Days30,
    Days90,
    #[default]
    Year,
    All,
}

impl Period {
    pub(crate) const ALL: [Period; 5] = [
        Period::Days7,
        Period::Days30,
        Period::Days90,
        Period::Year,
        Period::All,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Period::Days7 => "7d",
            Period::Days30 => "30d",
            Period::Days90 => "90d",
            Period::Year => "1y",
            Period::All => "alle",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == raw)
    }

    /// How far back the period reaches; `None` for all history.
    fn span(self) -> Option<Span> {
        let (amount, unit) = match self {
            Period::Days7 => (7, TimeUnit::Day),
            Period::Days30 => (30, TimeUnit::Day),
            Period::Days90 => (90, TimeUnit::Day),
            Period::Year => (1, TimeUnit::Year),
            Period::All => return None,
        };
        Some(Span { amount, unit })
    }
}

/// The page's query string as sent; unknown or bad values fall back to the
/// defaults instead of failing, since they come from our own form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct PageParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) periode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tjeneste: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) utfall: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) merket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) side: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) oppslagside: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<String>,
}

/// The filters, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Filters {
    pub(crate) period: Period,
    pub(crate) service: Option<String>,
    pub(crate) decision: Option<Decision>,
    /// Only marked logins (`merket=ja`).
    pub(crate) only_flagged: bool,
    /// Zero-based page of the login table.
    pub(crate) login_page: u64,
    /// Zero-based page of the access table.
    pub(crate) access_page: u64,
}

fn page_number(raw: Option<&str>) -> u64 {
    // Shown one-based; a page past the store's deepest index is clamped.
    raw.and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(0, |n| n.saturating_sub(1))
        .min(innsyn_domain::query::MAX_START_INDEX / u64::from(PAGE_SIZE))
}

impl Filters {
    pub(crate) fn from_params(p: &PageParams) -> Self {
        Self {
            period: p
                .periode
                .as_deref()
                .and_then(Period::parse)
                .unwrap_or_default(),
            service: p
                .tjeneste
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= innsyn_domain::query::MAX_FILTER_LEN)
                .filter(|s| !s.chars().any(char::is_control))
                .map(str::to_owned),
            decision: p.utfall.as_deref().and_then(|d| Decision::parse(d).ok()),
            only_flagged: p.merket.as_deref() == Some(ONLY_FLAGGED),
            login_page: page_number(p.side.as_deref()),
            access_page: page_number(p.oppslagside.as_deref()),
        }
    }

    /// The query string that reproduces these filters (pages and language
    /// left to the caller).
    pub(crate) fn params(&self) -> PageParams {
        PageParams {
            periode: (self.period != Period::default()).then(|| self.period.code().to_owned()),
            tjeneste: self.service.clone(),
            utfall: self.decision.map(|d| d.as_str().to_owned()),
            merket: self.only_flagged.then(|| ONLY_FLAGGED.to_owned()),
            ..PageParams::default()
        }
    }

    /// What the use case is asked for, with `page_size` rows per table.
    pub(crate) fn view_request(&self, page_size: u16) -> ViewRequest {
        ViewRequest {
            period: self.period.span(),
            service: self.service.clone(),
            decision: self.decision,
            only_flagged: self.only_flagged,
            login_page: self.login_page,
            access_page: self.access_page,
            page_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_fall_back_to_defaults() {
        let f = Filters::from_params(&PageParams {
            periode: Some("forever".into()),
            tjeneste: Some("  ".into()),
            utfall: Some("maybe".into()),
            merket: Some("nei".into()),
            side: Some("-3".into()),
            oppslagside: Some("99999999999999999999".into()),
            lang: None,
        });
        assert_eq!(f, Filters::default());
        let f = Filters::from_params(&PageParams {
            periode: Some("30d".into()),
            tjeneste: Some("skatt".into()),
            utfall: Some("deny".into()),
            merket: Some("ja".into()),
            side: Some("3".into()),
            oppslagside: Some("1".into()),
            lang: None,
        });
        assert_eq!(f.period, Period::Days30);
        assert_eq!(f.service.as_deref(), Some("skatt"));
        assert_eq!(f.decision, Some(Decision::Deny));
        assert_eq!((f.login_page, f.access_page), (2, 0));
        let p = f.params();
        assert_eq!(p.periode.as_deref(), Some("30d"));
        assert_eq!(p.utfall.as_deref(), Some("Deny"));
        assert!(f.only_flagged);
        assert_eq!(p.merket.as_deref(), Some("ja"));
    }
}
