//! The hours of the day a person usually logs in at.

use super::USUAL_HOURS_PERCENT;

/// A stretch of the clock in whole local hours: from `start:00` for `len`
/// hours, wrapping at midnight (22 for 4 hours holds 22, 23, 00 and 01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HourSpan {
    /// The first hour, 0–23.
    pub start: u8,
    /// How many hours, 1–24.
    pub len: u8,
}

impl HourSpan {
    /// Whether the local hour `hour` falls in the span.
    pub fn contains(self, hour: u8) -> bool {
        (24 + hour - self.start) % 24 < self.len
    }

    /// The span with `margin` hours more on each side (at most the whole
    /// day).
    pub fn widened(self, margin: u8) -> HourSpan {
        if self.len + 2 * margin >= 24 {
            return HourSpan { start: 0, len: 24 };
        }
        HourSpan {
            start: (self.start + 24 - margin % 24) % 24,
            len: self.len + 2 * margin,
        }
    }

    /// The hour the span ends at (exclusive), 1–24: `07` for 4 hours from
    /// `03`, `24` for a span that ends at midnight.
    pub fn end(self) -> u8 {
        let end = (self.start + self.len) % 24;
        if end == 0 { 24 } else { end }
    }
}

/// How many earlier logins fell in each local hour.
#[derive(Debug, Clone, Default)]
pub(super) struct HourCounts([usize; 24]);

impl HourCounts {
    pub(super) fn add(&mut self, hour: u8) {
        if let Some(slot) = self.0.get_mut(usize::from(hour)) {
            *slot += 1;
        }
    }

    /// Logins before `hour` (from midnight).
    pub(super) fn before(&self, hour: u8) -> usize {
        self.0.iter().take(usize::from(hour)).sum()
    }

    /// The shortest span holding [`USUAL_HOURS_PERCENT`] % of the logins
    /// (of equally short ones the fullest, then the earliest).
    pub(super) fn usual_span(&self) -> HourSpan {
        let total: usize = self.0.iter().sum();
        if total == 0 {
            return HourSpan { start: 0, len: 24 };
        }
        // Sums over any wrapping stretch from the doubled prefix sums.
        let mut prefix = [0usize; 49];
        for i in 0..48 {
            prefix[i + 1] = prefix[i] + self.0[i % 24];
        }
        let mut best = HourSpan { start: 0, len: 24 };
        'len: for len in 1..=24u8 {
            let mut fullest: Option<(usize, u8)> = None;
            for start in 0..24u8 {
                let (s, l) = (usize::from(start), usize::from(len));
                let count = prefix[s + l] - prefix[s];
                if count * 100 >= USUAL_HOURS_PERCENT * total
                    && fullest.is_none_or(|(c, _)| count > c)
                {
                    fullest = Some((count, start));
                }
            }
            if let Some((_, start)) = fullest {
                best = HourSpan { start, len };
                break 'len;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(hours: &[u8]) -> HourCounts {
        let mut c = HourCounts::default();
        for &h in hours {
            c.add(h);
        }
        c
    }

    #[test]
    fn spans_wrap_at_midnight() {
        let s = HourSpan { start: 22, len: 4 };
        assert!(s.contains(23) && s.contains(0) && s.contains(1));
        assert!(!s.contains(2) && !s.contains(21));
        assert_eq!(s.end(), 2);
        assert_eq!(HourSpan { start: 7, len: 17 }.end(), 24);
    }

    #[test]
    fn usual_hours_hold_nine_in_ten_and_a_margin() {
        // 07–22 every day, one outlier at 03: the outlier is left out.
        let mut hours: Vec<u8> = (7..=22).collect();
        hours.push(3);
        let span = counts(&hours).usual_span();
        assert_eq!(span, HourSpan { start: 7, len: 16 }, "{span:?}");
        assert_eq!((span.start, span.end()), (7, 23));
        let judged = span.widened(1);
        assert!(judged.contains(6) && judged.contains(23));
        assert!(!judged.contains(3) && !judged.contains(5));
        assert_eq!(span.widened(4).len, 24);
        // A night owl's usual hours wrap past midnight.
        let owl = counts(&[22, 23, 0, 1, 2, 23, 0, 1, 22, 2]).usual_span();
        assert!(
            owl.contains(1) && owl.contains(22) && !owl.contains(12),
            "{owl:?}"
        );
        assert_eq!(counts(&[]).usual_span().len, 24);
    }
}
