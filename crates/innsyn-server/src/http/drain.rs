//! Graceful shutdown that says whether it was graceful.
//!
//! actix-web gives in-flight requests `shutdown_timeout_secs` after SIGTERM
//! or SIGINT and then drops what is still running, but reports neither to
//! the caller. [`Drain`] counts the requests between the handler's start
//! and its response, so the process can exit non-zero when the timeout cut
//! any of them off (an operator must hear that accepted work may have been
//! lost: a batch cut off after its commit was stored, one cut off before it
//! was not, and its client saw neither answer).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};

/// Requests in flight and what shutdown left of them.
#[derive(Debug, Default)]
pub struct Drain {
    draining: AtomicBool,
    in_flight: AtomicUsize,
    cut_off: AtomicUsize,
}

impl Drain {
    /// Shutdown has begun: from now on a request dropped unanswered was
    /// cut off by it (also one whose client left; both are reported).
    pub fn begin(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Requests that shutdown left unanswered: still running (their
    /// worker not yet gone) or dropped since it began.
    pub fn unfinished(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst) + self.cut_off.load(Ordering::SeqCst)
    }
}

/// One request between start and response; dropping it unanswered while
/// draining counts it as cut off.
struct InFlight {
    drain: Arc<Drain>,
    answered: bool,
}

impl InFlight {
    fn start(drain: Arc<Drain>) -> Self {
        drain.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight {
            drain,
            answered: false,
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.answered && self.drain.draining.load(Ordering::SeqCst) {
            self.drain.cut_off.fetch_add(1, Ordering::SeqCst);
        }
        self.drain.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts the request in [`Drain`] (the outermost middleware).
pub(crate) async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let flight = req
        .app_data::<web::Data<Drain>>()
        .map(|d| InFlight::start(d.clone().into_inner()));
    let res = next.call(req).await;
    if let Some(mut flight) = flight {
        flight.answered = true;
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_answered_leaves_nothing_unfinished() {
        let drain = Arc::new(Drain::default());
        let mut f = InFlight::start(Arc::clone(&drain));
        drain.begin();
        assert_eq!(drain.unfinished(), 1);
        f.answered = true;
        drop(f);
        assert_eq!(drain.unfinished(), 0);
    }

    #[test]
    fn a_request_dropped_while_draining_is_cut_off() {
        let drain = Arc::new(Drain::default());
        let f = InFlight::start(Arc::clone(&drain));
        drain.begin();
        drop(f);
        assert_eq!(drain.unfinished(), 1);
    }

    #[test]
    fn a_request_dropped_before_shutdown_is_not_counted() {
        let drain = Arc::new(Drain::default());
        drop(InFlight::start(Arc::clone(&drain)));
        assert_eq!(drain.unfinished(), 0);
    }
}
