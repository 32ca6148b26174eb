//! Each demo citizen's habits (services, eIDs, hours) and the few odd
//! logins planted among them, so the page's marks show what they are for:
//! the ordinary pattern unmarked, the odd cases marked.

use innsyn_domain::Zone;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time};

/// How one demo citizen usually logs in; each list is drawn from evenly,
/// so repeats weigh more.
pub(super) struct Habits {
    /// Indexes into [`super::SERVICES`].
    pub(super) services: &'static [usize],
    /// eID and method, as ID-porten reports them.
    pub(super) eids: &'static [(&'static str, &'static str)],
    /// Local hours.
    pub(super) hours: &'static [u8],
    /// Logins that should stand out.
    pub(super) odd: &'static [Odd],
}

/// A planted login that differs from the habits.
pub(super) struct Odd {
    pub(super) days_ago: i64,
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) service: usize,
    pub(super) eid: (&'static str, &'static str),
}

const DAY: &[u8] = &[
    7, 8, 8, 9, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];

/// Kari: NAV, Skatteetaten and Helsenorge with BankID in the daytime; once,
/// at 03:12, MinID with a one-time code at Brønnøysundregistrene.
/// Ola: Altinn and Skatteetaten with MinID; one night login, and once
/// Buypass. Ingrid: Helsenorge and Lånekassen with BankID; once
/// Brønnøysundregistrene, once an eID from abroad.
pub(super) const HABITS: [Habits; 3] = [
    Habits {
        services: &[0, 0, 1, 3, 3, 0],
        eids: &[
            ("BankID", "BankID"),
            ("BankID", "BankID"),
            ("BankID", "BankID mobil"),
        ],
        hours: DAY,
        odd: &[Odd {
            days_ago: 6,
            hour: 3,
            minute: 12,
            service: 5,
            eid: ("MinID", "OTC"),
        }],
    },
    Habits {
        services: &[4, 4, 1, 0],
        eids: &[("MinID", "PIN"), ("MinID", "App")],
        hours: &[8, 9, 10, 12, 14, 16, 18, 19, 20, 21],
        odd: &[
            Odd {
                days_ago: 30,
                hour: 2,
                minute: 41,
                service: 4,
                eid: ("MinID", "PIN"),
            },
            Odd {
                days_ago: 5,
                hour: 14,
                minute: 5,
                service: 1,
                eid: ("Buypass", "Smartkort"),
            },
        ],
    },
    Habits {
        services: &[3, 2, 2, 3, 0],
        eids: &[("BankID", "BankID")],
        hours: &[9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        odd: &[
            Odd {
                days_ago: 20,
                hour: 11,
                minute: 30,
                service: 5,
                eid: ("BankID", "BankID"),
            },
            Odd {
                days_ago: 45,
                hour: 13,
                minute: 20,
                service: 3,
                eid: ("eIDAS", "high"),
            },
        ],
    },
];

/// `hour:minute` local time, `days_ago` days before `now`'s local date; a
/// time later than `now` moves a day back, so the result is in the past.
pub(super) fn local_at(now: OffsetDateTime, days_ago: i64, hour: u8, minute: u8) -> OffsetDateTime {
    let zone = Zone::oslo();
    let date = zone.to_local(now).date() - Duration::days(days_ago);
    let time = Time::from_hms(hour, minute, 0).unwrap_or(Time::MIDNIGHT);
    let at = zone.resolve_local(PrimitiveDateTime::new(date, time));
    if at > now {
        zone.resolve_local(PrimitiveDateTime::new(date - Duration::days(1), time))
    } else {
        at
    }
}
