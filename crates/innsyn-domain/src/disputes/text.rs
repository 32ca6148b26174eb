//! The free text of a case: the citizen's message and the organisation's answer.

use std::fmt;

/// The longest message a citizen may send with a case, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1_000;
/// The longest answer an organisation may give, in characters.
pub const MAX_ANSWER_CHARS: usize = 4_000;

/// Plain text a person wrote: trimmed, not empty, at most a given number of
/// characters, with no control characters but line breaks and tabs, and no
/// markup. Markup is refused rather than escaped because the text travels
/// on to the responsible organisation's own systems, which may not escape
/// it; a `<` that starts no tag (`5 < 7`, `<3`) is fine.
///
/// It is personal data: `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainText(String);

/// Why a text is not acceptable plain text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlainTextError {
    /// Nothing but whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A control character other than a line break or tab.
    #[error("must not contain control characters")]
    Control,
    /// Something that looks like an HTML or XML tag.
    #[error("must be plain text, not HTML")]
    Markup,
}

impl PlainText {
    /// Checks `raw` against the rules, with at most `max` characters as
    /// sent (the limit a form's `maxlength` and a schema's `maxLength`
    /// state); the text kept is trimmed.
    pub fn parse(raw: &str, max: usize) -> Result<Self, PlainTextError> {
        if raw.chars().count() > max {
            return Err(PlainTextError::TooLong { max });
        }
        let text = raw.trim();
        if text.is_empty() {
            return Err(PlainTextError::Empty);
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(PlainTextError::Control);
        }
        if looks_like_markup(text) {
            return Err(PlainTextError::Markup);
        }
        Ok(Self(text.to_owned()))
    }

    /// A citizen's message: at most [`MAX_MESSAGE_CHARS`]; blank is none.
    pub fn message(raw: Option<&str>) -> Result<Option<Self>, PlainTextError> {
        match raw {
            None => Ok(None),
            Some(text) if text.trim().is_empty() && text.chars().count() <= MAX_MESSAGE_CHARS => {
                Ok(None)
            }
            Some(text) => Self::parse(text, MAX_MESSAGE_CHARS).map(Some),
        }
    }

    /// An organisation's answer: at most [`MAX_ANSWER_CHARS`].
    pub fn answer(raw: &str) -> Result<Self, PlainTextError> {
        Self::parse(raw, MAX_ANSWER_CHARS)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlainText(<{} chars>)", self.0.chars().count())
    }
}

/// A `<` followed by a letter, `/`, `!` or `?`: the start of a tag, an end
/// tag, a comment or doctype, or a processing instruction.
fn looks_like_markup(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?')))
}
