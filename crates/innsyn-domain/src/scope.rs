//! OAuth 2.0 scopes (RFC 6749 §3.3).

use std::collections::BTreeSet;
use std::fmt;

/// One scope token: visible ASCII except `"` and `\`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(String);

/// A string that is not a valid scope token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a scope is one or more visible ASCII characters other than '\"' and '\\'")]
pub struct ScopeError;

impl Scope {
    /// Parses one scope token.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        let valid = !raw.is_empty()
            && raw
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ScopeError)
        }
    }

    /// The scope token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The set of scopes a token grants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// Parses a space-separated scope string (the `scope` claim). Runs of
    /// spaces are tolerated; any invalid token fails the whole string.
    pub fn parse(raw: &str) -> Result<Self, ScopeError> {
        raw.split(' ')
            .filter(|s| !s.is_empty())
            .map(Scope::parse)
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }

    /// Whether the named scope is granted.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|s| s.as_str() == name)
    }

    /// Iterates the scopes in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.0.iter()
    }

    /// Whether no scope is granted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<T: IntoIterator<Item = Scope>>(iter: T) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_space_separated_scopes() {
        let scopes = Scopes::parse("openid  idporten:user.log.read history:read").unwrap();
        assert!(scopes.contains("idporten:user.log.read"));
        assert!(scopes.contains("history:read"));
        assert!(!scopes.contains("history:audit"));
        assert_eq!(
            scopes.to_string(),
            "history:read idporten:user.log.read openid"
        );
    }

    #[test]
    fn refuses_invalid_tokens() {
        assert_eq!(Scope::parse(""), Err(ScopeError));
        assert_eq!(Scope::parse("a\"b"), Err(ScopeError));
        assert_eq!(Scope::parse("a\\b"), Err(ScopeError));
        assert_eq!(Scope::parse("æøå"), Err(ScopeError));
        assert!(Scopes::parse("ok bad\tscope").is_err());
        assert!(Scopes::parse("").unwrap().is_empty());
    }
}
