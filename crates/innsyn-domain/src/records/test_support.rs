//! Helpers shared by the records' tests.

use super::ActivityRecord;
use crate::identity::CITIZEN_A;

/// A complete, valid login of the seed's example.
pub(super) fn activity() -> ActivityRecord {
    ActivityRecord {
        event_name: "Innlogget".into(),
        event_created: 1_551_947_196_000,
        event_subject_pid: Some(CITIZEN_A.into()),
        service_provider_id: Some("oidc_authorization_api_client_test".into()),
        service_provider_orgno: Some("991825827".into()),
        service_owner_name: Some("DIREKTORATET FOR FORVALTNING OG IKT".into()),
        auth_eid: Some("MinID".into()),
        auth_method: Some("PIN".into()),
        ..Default::default()
    }
}
