//! What the page's browser tests share: the citizen, their events, the
//! page served on a loopback port.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer};
use innsyn_domain::{AccessRecord, AccessRecordInput, ActivityRecord, LoginEvent};
use innsyn_web::WebState;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(crate) const CITIZEN: &str = innsyn_domain::identity::CITIZEN_A;

/// A login of the citizen `ago` before now, to `client` (service `name`)
/// of organisation `orgno`.
pub(crate) fn login(
    ago: time::Duration,
    (client, name, orgno): (&str, &str, &str),
    eid: &str,
    method: &str,
) -> LoginEvent {
    let at = OffsetDateTime::now_utc() - ago;
    LoginEvent::from_activity(ActivityRecord {
        event_name: "Innlogget".into(),
        event_created: (at.unix_timestamp_nanos() / 1_000_000) as i64,
        event_subject_pid: Some(CITIZEN.into()),
        service_provider_id: Some(client.into()),
        service_provider_orgno: Some(orgno.into()),
        service_owner_name: Some(name.into()),
        auth_eid: Some(eid.into()),
        auth_method: Some(method.into()),
        ..Default::default()
    })
    .unwrap()
}

/// Lånekassen reading the citizen's tax return two days ago.
pub(crate) fn lanekassen_lookup(id: &str, urn: Option<&str>, decision: &str) -> AccessRecord {
    let at = (OffsetDateTime::now_utc() - time::Duration::days(2))
        .format(&Rfc3339)
        .unwrap();
    AccessRecord::from_input(AccessRecordInput {
        id: id.into(),
        timestamp: at,
        user_id: CITIZEN.into(),
        application: "Lånekassen".into(),
        client_id: "lanekassen".into(),
        resource: "skattemelding".into(),
        resource_urn: urn.map(Into::into),
        action: "read".into(),
        purpose: "behandle søknad om stipend".into(),
        decision: decision.into(),
        orgno: None,
    })
    .unwrap()
}

/// A loopback listener and its base URL, to build the page's settings
/// with before [`serve`].
pub(crate) fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    (listener, base)
}

/// The page on `listener`, one worker, until the handle stops it.
pub(crate) fn serve(state: WebState, listener: TcpListener) -> ServerHandle {
    let server = HttpServer::new(move || {
        App::new().configure(|cfg| innsyn_web::configure(cfg, state.clone()))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    handle
}
