//! Misuse detection for the citizen's own page: which login events are worth
//! a second look, and why.
//!
//! The seed's reason for the whole service is that a citizen "can more easily
//! detect misuse of their eID". A long list of logins does not help with that
//! by itself; these rules point at the few events that differ from the
//! person's own habits, and a person's ordinary pattern (the services they
//! use, the eID they use, the hours they keep) is never marked. Every flag
//! is a [`LoginFlag`] that carries what is usual, so the page can say it in
//! one plain sentence ("du logger vanligvis inn mellom 07 og 23"); no rule
//! looks at other people's data.
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
//! * **New eID** ([`LoginFlag::NewEid`]): the first login with an eID
//!   (`MinID`, `BankID`…), under the same minimum. Someone who always uses
//!   BankID and suddenly appears with MinID may have had a MinID created in
//!   their name. Another method of a known eID (BankID on the phone instead
//!   of the app) is ordinary and not marked.
//! * **Hours** ([`LoginFlag::Night`], [`LoginFlag::UnusualHour`]): with at
//!   least [`MIN_PRIOR_FOR_HOURS`] earlier logins, the person's usual hours
//!   are the shortest stretch of the clock that holds
//!   [`USUAL_HOURS_PERCENT`] % of them ([`HourSpan`]); a login more than
//!   [`USUAL_HOURS_MARGIN`] hours outside it is marked, as `Night` when its local hour is before
//!   [`NIGHT_ENDS_AT_HOUR`]. With less history only a night login is marked,
//!   and only if the person has no earlier night login.

use std::collections::{HashMap, HashSet};

use crate::records::LoginHistoryEntry;
use crate::zone::Zone;

mod hours;

use hours::HourCounts;
pub use hours::HourSpan;

/// Earlier logins needed before a new service or eID counts as news.
pub const MIN_PRIOR_FOR_NOVELTY: usize = 3;
/// Earlier logins needed before an hour of the day can be called unusual.
pub const MIN_PRIOR_FOR_HOURS: usize = 10;
/// The share of earlier logins the usual hours hold.
pub const USUAL_HOURS_PERCENT: usize = 90;
/// Hours added on each side of the usual hours before a login is unusual.
pub const USUAL_HOURS_MARGIN: u8 = 2;
/// Local hours counted as night: `00:00` up to, not including, this hour.
pub const NIGHT_ENDS_AT_HOUR: u8 = 6;

/// Why a login event is worth a second look, with what was usual.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LoginFlag {
    /// The first login to this service.
    NewService {
        /// How many other services the person had logged in to before.
        known_services: usize,
    },
    /// The first login with this eID.
    NewEid {
        /// The eID the person had used most until then.
        usual: Option<String>,
    },
    /// A login at night (local hour given) outside the person's usual
    /// hours, or with no earlier night login when there is too little
    /// history to know the usual hours.
    Night {
        /// Local hour, 0–23.
        local_hour: u8,
        /// The usual hours, when known.
        usual: Option<HourSpan>,
    },
    /// A login in the daytime outside the person's usual hours.
    UnusualHour {
        /// Local hour, 0–23.
        local_hour: u8,
        /// The usual hours.
        usual: HourSpan,
    },
}

impl LoginFlag {
    /// A stable, language-neutral code (for exports and tests).
    pub fn code(&self) -> &'static str {
        match self {
            LoginFlag::NewService { .. } => "new-service",
            LoginFlag::NewEid { .. } => "new-eid",
            LoginFlag::Night { .. } => "night",
            LoginFlag::UnusualHour { .. } => "unusual-hour",
        }
    }
}

fn service_key(e: &LoginHistoryEntry) -> Option<&str> {
    e.client_id.as_deref().or(e.service_name.as_deref())
}

/// The eID provider, without the method: a new method of a known eID is
/// not news.
fn eid_key(e: &LoginHistoryEntry) -> Option<&str> {
    e.eid.as_deref().or(e.method.as_deref())
}

fn is_night(hour: u8) -> bool {
    hour < NIGHT_ENDS_AT_HOUR
}

/// The most used eID so far (ties: the alphabetically first, so the
/// answer does not depend on hash order).
fn most_used<'a>(eids: &HashMap<&'a str, usize>) -> Option<&'a str> {
    eids.iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(eid, _)| *eid)
}

/// The flags of every event, in the order given (`result[i]` belongs to
/// `events[i]`). The events may come in any order (the stores return newest
/// first); the rules look at them oldest first, ties in the order given.
pub fn login_flags(events: &[LoginHistoryEntry], zone: Zone) -> Vec<Vec<LoginFlag>> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| events.get(i).map(|e| e.occurred_at));

    let mut out = vec![Vec::new(); events.len()];
    let mut services: HashSet<&str> = HashSet::new();
    let mut eids: HashMap<&str, usize> = HashMap::new();
    let mut hours = HourCounts::default();
    let mut prior = 0usize;

    for i in order {
        let (Some(event), Some(flags)) = (events.get(i), out.get_mut(i)) else {
            continue;
        };
        let hour = zone.to_local(event.occurred_at).hour();
        let novelty = prior >= MIN_PRIOR_FOR_NOVELTY;

        if let Some(service) = service_key(event)
            && !services.contains(service)
        {
            if novelty {
                flags.push(LoginFlag::NewService {
                    known_services: services.len(),
                });
            }
            services.insert(service);
        }
        if let Some(eid) = eid_key(event) {
            if novelty && !eids.contains_key(eid) {
                flags.push(LoginFlag::NewEid {
                    usual: most_used(&eids).map(str::to_owned),
                });
            }
            *eids.entry(eid).or_default() += 1;
        }
        if prior >= MIN_PRIOR_FOR_HOURS {
            let usual = hours.usual_span();
            if !usual.widened(USUAL_HOURS_MARGIN).contains(hour) {
                flags.push(if is_night(hour) {
                    LoginFlag::Night {
                        local_hour: hour,
                        usual: Some(usual),
                    }
                } else {
                    LoginFlag::UnusualHour {
                        local_hour: hour,
                        usual,
                    }
                });
            }
        } else if is_night(hour) && hours.before(NIGHT_ENDS_AT_HOUR) == 0 {
            flags.push(LoginFlag::Night {
                local_hour: hour,
                usual: None,
            });
        }

        hours.add(hour);
        prior += 1;
    }
    out
}

#[cfg(test)]
mod tests;
