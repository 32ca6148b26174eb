//! Seed 2's one statement: the status checks and the page.

use innsyn_domain::{
    AccessHistoryQuery, ApplicationFilter, CatalogKind, CatalogRef, ResourceFilter, SortOrder,
};

use super::{Dialect, Query, Value, dir, sort_column, time_out};

/// The table and column that hold a catalog reference's kind.
fn catalog_column(kind: CatalogKind) -> (&'static str, &'static str) {
    match kind {
        CatalogKind::Application => ("applications", "name"),
        CatalogKind::ClientId => ("clients", "client_id"),
        CatalogKind::Resource => ("resources", "name"),
        CatalogKind::ResourceUrn => ("resources", "urn"),
        CatalogKind::Action => ("actions", "name"),
        CatalogKind::Purpose => ("purposes", "name"),
    }
}

/// Seed 2 in one statement, so a request costs one round trip: a status
/// row (`owner_known`; `known`, one character per reference of `refs`,
/// `'1'` when the catalog holds it) left-joined to the page, so an empty
/// page still yields the status. Each check is one index probe. The outer
/// ORDER BY repeats the page's because a join does not promise to keep its
/// input's order; it sorts at most `count + 1` rows, while the page itself
/// is read in index order. `refs` is empty unless the query validates.
pub(crate) fn access_answer(
    d: Dialect,
    owner_key: Vec<u8>,
    refs: &[CatalogRef],
    q: &AccessHistoryQuery,
) -> Query {
    let mut s = Query::new(
        d,
        "SELECT s.owner_known, s.known, p.id, p.occurred_us, p.application, p.client_id, \
         p.resource, p.resource_urn, p.action, p.purpose, p.decision, p.orgno FROM (SELECT EXISTS \
         (SELECT 1 FROM subjects WHERE subject_key = ",
    );
    s.bind(Value::Bytes(owner_key.clone()))
        .push(") AS owner_known, CAST(''");
    for r in refs {
        let (table, column) = catalog_column(r.kind);
        s.push(&format!(
            " || CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {column} = "
        ))
        .bind(Value::Text(r.value.clone()))
        .push(") THEN '1' ELSE '0' END");
    }
    s.push(" AS TEXT) AS known) AS s LEFT JOIN (");
    push_access_page(&mut s, owner_key, q);
    s.push(") AS p ON 1 = 1 ORDER BY ");
    let dir = dir(q.sort.order);
    if let Some(col) = sort_column(q.sort.key) {
        s.push("p.").push(col).push(" ").push(dir).push(", ");
    }
    s.push("p.occurred_us ").push(dir).push(", p.id ").push(dir);
    s.prepared()
}

/// Seed 2's page: one owner's records in a window, filtered, in the total
/// order `(key, occurred_at, id)`, one more than the page to learn
/// `has_more`. A cursor becomes a row-value comparison, which both
/// databases turn into an index seek; `startIndex` without a cursor is an
/// OFFSET (the seed's).
fn push_access_page(s: &mut Query, owner_key: Vec<u8>, q: &AccessHistoryQuery) {
    let d = s.dialect;
    s.push("SELECT id, ");
    s.push(&time_out(d, "occurred_at")).push(
        " AS occurred_us, application, client_id, resource, resource_urn, action, purpose, \
         decision, orgno FROM access_records WHERE owner_key = ",
    );
    s.bind(Value::Bytes(owner_key))
        .push(" AND occurred_at >= ")
        .bind(Value::Time(q.window.start))
        .push(" AND occurred_at < ")
        .bind(Value::Time(q.window.end));
    let f = &q.filter;
    let mut eq = |column: &str, value: &str| {
        s.push(" AND ")
            .push(column)
            .push(" = ")
            .bind(Value::Text(value.to_owned()));
    };
    match &f.application {
        Some(ApplicationFilter::Name(v)) => eq("application", v),
        Some(ApplicationFilter::ClientId(v)) => eq("client_id", v),
        None => {}
    }
    match &f.resource {
        Some(ResourceFilter::Name(v)) => eq("resource", v),
        Some(ResourceFilter::Urn(v)) => eq("resource_urn", v),
        None => {}
    }
    if let Some(v) = &f.action {
        eq("action", v);
    }
    if let Some(v) = &f.purpose {
        eq("purpose", v);
    }
    if let Some(v) = f.decision {
        eq("decision", v.as_str());
    }
    let key = sort_column(q.sort.key);
    if let Some(c) = &q.page.after {
        let op = match q.sort.order {
            SortOrder::Asc => ">",
            SortOrder::Desc => "<",
        };
        s.push(" AND (");
        if let Some(col) = key {
            s.push(col).push(", ");
        }
        s.push("occurred_at, id) ").push(op).push(" (");
        if key.is_some() {
            s.bind(Value::Text(c.key_value.clone().unwrap_or_default()))
                .push(", ");
        }
        s.bind(Value::Time(c.timestamp))
            .push(", ")
            .bind(Value::Bytes(c.id.as_bytes().to_vec()))
            .push(")");
    }
    let dir = dir(q.sort.order);
    s.push(" ORDER BY ");
    if let Some(col) = key {
        s.push(col).push(" ").push(dir).push(", ");
    }
    s.push("occurred_at ")
        .push(dir)
        .push(", id ")
        .push(dir)
        .push(" LIMIT ")
        .bind(Value::Int(i64::from(q.page.count) + 1));
    if q.page.after.is_none() && q.page.start_index > 0 {
        s.push(" OFFSET ").bind(Value::Int(
            i64::try_from(q.page.start_index).unwrap_or(i64::MAX),
        ));
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
