//! `--name value` pairs.

use std::collections::HashMap;
use std::str::FromStr;

/// Options given as `--name value`.
pub(crate) struct Args(HashMap<String, String>);

impl Args {
    pub(crate) fn parse(argv: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut map = HashMap::new();
        let mut argv = argv.peekable();
        while let Some(a) = argv.next() {
            let name = a
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {a}"))?;
            let value = argv
                .next()
                .ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_owned(), value);
        }
        Ok(Self(map))
    }

    pub(crate) fn str(&self, name: &str) -> Result<&str, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required"))
    }

    pub(crate) fn opt_str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub(crate) fn num<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => parse_count(v)
                .and_then(|n| n.to_string().parse().ok())
                .or_else(|| v.parse().ok())
                .ok_or_else(|| format!("--{name}: not a number: {v}")),
        }
    }

    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(
            self.0.get(name).map(String::as_str),
            Some("true" | "1" | "yes")
        )
    }
}

/// `1000`, `50k`, `1M`, `10M`.
pub(crate) fn parse_count(raw: &str) -> Option<u64> {
    let raw = raw.trim();
    let (digits, mult) = match raw.chars().last()? {
        'k' | 'K' => (&raw[..raw.len() - 1], 1_000),
        'm' | 'M' => (&raw[..raw.len() - 1], 1_000_000),
        _ => (raw, 1),
    };
    digits.parse::<u64>().ok()?.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(parse_count("1M"), Some(1_000_000));
        assert_eq!(parse_count("50k"), Some(50_000));
        assert_eq!(parse_count("123"), Some(123));
        assert_eq!(parse_count("x"), None);
    }
}
