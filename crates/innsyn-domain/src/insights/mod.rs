//! Misuse detection for the citizen's own page: which login events are worth
//! a second look, and why.
//!
//! The seed's reason for the whole service is that a citizen "can more easily
//! detect misuse of their eID". A long list of logins does not help with that
//! by itself; these rules point at the few events that differ from the
//! person's own habits. They are deliberately simple and explainable: every
//! flag is a [`LoginFlag`] the page turns into one plain sentence, and no
//! rule looks at other people's data.
//!
//! Every rule compares an event only with the person's *earlier* logins (in
//! the history given), so a flag means "this was new or unusual when it
//! happened", and adding later events never changes an earlier flag.
//!
//! The rules:
//!
//! * **New service** ([`LoginFlag::NewService`]): the first login to a
//!   service (by client id, else service name), once the person has at least
//!   [`MIN_PRIOR_FOR_NOVELTY`] earlier logins. A person's first few logins are
//!   all "new" and flagging them would only teach them to ignore flags.
//! * **New eID or method** ([`LoginFlag::NewEid`]): the first login with an
//!   eID and method combination (`MinID PIN`, `BankID`…), under the same
//!   minimum. Someone who always uses BankID and suddenly appears with MinID
//!   may have had a MinID created in their name.
//! * **Night** ([`LoginFlag::Night`]): local time 00:00–05:59 (in the zone
//!   given), when less than [`RARE_SHARE_PERCENT`] % of the person's earlier
//!   logins were at night. No minimum history: a first login at 03:00 is
//!   worth a look.
//! * **Unusual hour** ([`LoginFlag::UnusualHour`]): with at least
//!   [`MIN_PRIOR_FOR_HOURS`] earlier logins, less than [`RARE_SHARE_PERCENT`] %
//!   of them fell within one hour either side of this login's local hour
//!   (a three-hour band, wrapping at midnight, so 08:59 and 09:01 are
//!   neighbours). Not reported together with `Night`, which says more.

use std::collections::HashSet;

use crate::records::LoginHistoryEntry;
use crate::zone::Zone;

/// Earlier logins needed before a new service or eID counts as news.
pub const MIN_PRIOR_FOR_NOVELTY: usize = 3;
/// Earlier logins needed before an hour of the day can be called unusual.
pub const MIN_PRIOR_FOR_HOURS: usize = 10;
/// A share of earlier logins below this percentage is "rare".
pub const RARE_SHARE_PERCENT: usize = 10;
/// Local hours counted as night: `00:00` up to, not including, this hour.
pub const NIGHT_ENDS_AT_HOUR: u8 = 6;

/// Why a login event is worth a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LoginFlag {
    /// The first login to this service.
    NewService,
    /// The first login with this eID and method.
    NewEid,
    /// A login at night (local hour given), which this person rarely does.
    Night {
        /// Local hour, 0–23.
        local_hour: u8,
    },
    /// A login at an hour of the day this person rarely logs in at.
    UnusualHour {
        /// Local hour, 0–23.
        local_hour: u8,
    },
}

impl LoginFlag {
    /// A stable, language-neutral code (for exports and tests).
    pub fn code(self) -> &'static str {
        match self {
            LoginFlag::NewService => "new-service",
            LoginFlag::NewEid => "new-eid",
            LoginFlag::Night { .. } => "night",
            LoginFlag::UnusualHour { .. } => "unusual-hour",
        }
    }
}

fn service_key(e: &LoginHistoryEntry) -> Option<&str> {
    e.client_id.as_deref().or(e.service_name.as_deref())
}

fn is_night(hour: u8) -> bool {
    hour < NIGHT_ENDS_AT_HOUR
}

/// Whether `count` out of `total` is below [`RARE_SHARE_PERCENT`]; with no
/// history at all, everything is rare.
fn rare(count: usize, total: usize) -> bool {
    total == 0 || count * 100 < RARE_SHARE_PERCENT * total
}

/// The flags of every event, in the order given (`result[i]` belongs to
/// `events[i]`). The events may come in any order (the stores return newest
/// first); the rules look at them oldest first, ties in the order given.
pub fn login_flags(events: &[LoginHistoryEntry], zone: Zone) -> Vec<Vec<LoginFlag>> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| events.get(i).map(|e| e.occurred_at));

    let mut out = vec![Vec::new(); events.len()];
    let mut services: HashSet<&str> = HashSet::new();
    let mut eids: HashSet<String> = HashSet::new();
    let mut hours = [0usize; 24];
    let mut prior = 0usize;

    for i in order {
        let (Some(event), Some(flags)) = (events.get(i), out.get_mut(i)) else {
            continue;
        };
        let hour = zone.to_local(event.occurred_at).hour();
        let h = usize::from(hour);
        let night_before: usize = hours.iter().take(usize::from(NIGHT_ENDS_AT_HOUR)).sum();
        let band: usize = [(h + 23) % 24, h, (h + 1) % 24]
            .iter()
            .filter_map(|&b| hours.get(b))
            .sum();

        if let Some(service) = service_key(event)
            && services.insert(service)
            && prior >= MIN_PRIOR_FOR_NOVELTY
        {
            flags.push(LoginFlag::NewService);
        }
        let eid = event.eid_label();
        if !eid.is_empty() && eids.insert(eid) && prior >= MIN_PRIOR_FOR_NOVELTY {
            flags.push(LoginFlag::NewEid);
        }
        if is_night(hour) && rare(night_before, prior) {
            flags.push(LoginFlag::Night { local_hour: hour });
        } else if prior >= MIN_PRIOR_FOR_HOURS && rare(band, prior) {
            flags.push(LoginFlag::UnusualHour { local_hour: hour });
        }

        if let Some(slot) = hours.get_mut(h) {
            *slot += 1;
        }
        prior += 1;
    }
    out
}

#[cfg(test)]
mod tests;
