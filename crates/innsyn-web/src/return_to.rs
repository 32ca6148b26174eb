//! Where a citizen goes after logging in: back to the view they were on
//! when they had to log in (an expired session, a bookmarked filter).

use crate::BASE_PATH;

/// The longest query kept: the page's own filters fit many times over.
const MAX_LEN: usize = 512;

/// A query string of `/min-side` and nothing else: it is only ever put
/// after `/min-side?`, and its characters cannot end a header or a URL's
/// query, so it cannot send anyone elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReturnTo(String);

impl ReturnTo {
    /// `raw` when it is such a query; else none (the start page then).
    pub(crate) fn parse(raw: &str) -> Option<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=&%._~+-".contains(&b));
        ok.then(|| Self(raw.to_owned()))
    }

    /// The page's address with this query.
    pub(crate) fn location(&self) -> String {
        format!("{BASE_PATH}?{}", self.0)
    }

    /// `&tilbake=…`, to carry it through the login pages.
    pub(crate) fn param(&self) -> String {
        serde_urlencoded::to_string([("tilbake", self.0.as_str())])
            .map(|p| format!("&{p}"))
            .unwrap_or_default()
    }

    /// The query itself (a hidden form field).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// `&tilbake=…` of `r`, or nothing.
pub(crate) fn param_of(r: Option<&ReturnTo>) -> String {
    r.map(ReturnTo::param).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_query_of_the_page_is_kept() {
        let r = ReturnTo::parse("lang=nb&tjeneste=Altinn&innlogginger=2").unwrap();
        assert_eq!(
            r.location(),
            "/min-side?lang=nb&tjeneste=Altinn&innlogginger=2"
        );
        assert_eq!(
            r.param(),
            "&tilbake=lang%3Dnb%26tjeneste%3DAltinn%26innlogginger%3D2"
        );
        for bad in [
            "",
            "//evil.example",
            "a=b\r\nSet-Cookie: x",
            "x=<script>",
            "https://evil.example/",
            &"a".repeat(513),
        ] {
            assert_eq!(ReturnTo::parse(bad), None, "{bad:?}");
        }
    }
}
