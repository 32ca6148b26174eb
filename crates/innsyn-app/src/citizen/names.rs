//! The plain words one view needs: the codes its rows and its service list
//! show, looked up in the catalog at once.

use innsyn_domain::{AccessHistoryEntry, LabelKind, NamesWanted, PlainNames};
use innsyn_ports::HistoryStore;

use super::view::{LoginRow, ServiceOption};
use crate::AppError;

/// The catalog's words for what these rows and services show; the service
/// list then takes the catalog's application names, so the filter names a
/// service as the tables do.
pub(crate) fn plain_names(
    store: &dyn HistoryStore,
    logins: &[LoginRow],
    access: &[&[AccessHistoryEntry]],
    services: &mut [ServiceOption],
) -> Result<PlainNames, AppError> {
    let mut wanted = NamesWanted::default();
    for row in logins {
        wanted.client_ids.extend(row.entry.client_id.clone());
        wanted.orgnos.extend(row.entry.orgno.clone());
    }
    for r in access.iter().flat_map(|rows| rows.iter()) {
        wanted.client_ids.insert(r.client_id.clone());
        wanted.orgnos.extend(r.orgno.clone());
        wanted.label(LabelKind::Resource, &r.resource);
        wanted.label(LabelKind::Action, &r.action);
        wanted.label(LabelKind::Purpose, &r.purpose);
    }
    wanted
        .client_ids
        .extend(services.iter().map(|s| s.client_id.clone()));
    let names = store.plain_names(&wanted)?;
    for s in services.iter_mut() {
        if let Some(client) = names.client(&s.client_id) {
            s.label.clone_from(&client.application);
        }
    }
    Ok(names)
}
