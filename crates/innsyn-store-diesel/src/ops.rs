//! The store's operations, written once over [`Db`] for both backends.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Bool, Nullable, Text};
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryQuery, AccessPage, AccessRecord, AppendOutcome, Catalog,
    CatalogRef, ClientEntry, Decision, LoginEvent, LoginHistoryEntry, LoginHistoryQuery, OrgNumber,
    ResourceEntry,
};
use innsyn_ports::{AccessHistoryAnswer, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{self, LoginRow, Query, Value, from_micros};

#[derive(QueryableByName)]
pub(crate) struct LoginOut {
    #[diesel(sql_type = BigInt)]
    occurred_us: i64,
    #[diesel(sql_type = Nullable<Text>)]
    service_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    eid: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    method: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    orgno: Option<String>,
}

/// One row of [`sql::access_answer`]: the status, and a record unless
/// the page is empty.
#[derive(QueryableByName)]
pub(crate) struct AnswerRow {
    #[diesel(sql_type = Bool)]
    owner_known: bool,
    #[diesel(sql_type = Text)]
    known: String,
    #[diesel(sql_type = Nullable<Binary>)]
    id: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    occurred_us: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    application: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    resource: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    resource_urn: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    action: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    purpose: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    decision: Option<String>,
}

impl AnswerRow {
    /// The record of a row that has one.
    fn entry(self) -> Result<Option<AccessHistoryEntry>, Failure> {
        let Some(id) = self.id else {
            return Ok(None);
        };
        let text = |v: Option<String>| v.ok_or_else(|| corrupt("access record"));
        Ok(Some(AccessHistoryEntry {
            id: Uuid::from_slice(&id).map_err(|_| corrupt("record id"))?,
            occurred_at: time_of(self.occurred_us.ok_or_else(|| corrupt("time"))?)?,
            application: text(self.application)?,
            client_id: text(self.client_id)?,
            resource: text(self.resource)?,
            resource_urn: self.resource_urn,
            action: text(self.action)?,
            purpose: text(self.purpose)?,
            decision: Decision::parse(&text(self.decision)?).map_err(|_| corrupt("decision"))?,
        }))
    }
}

#[derive(QueryableByName)]
pub(crate) struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
pub(crate) struct ClientOut {
    #[diesel(sql_type = Text)]
    client_id: String,
    #[diesel(sql_type = Text)]
    application: String,
    #[diesel(sql_type = Nullable<Text>)]
    orgno: Option<String>,
}

#[derive(QueryableByName)]
pub(crate) struct ResourceOut {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    urn: Option<String>,
}

#[derive(QueryableByName)]
pub(crate) struct NameOut {
    #[diesel(sql_type = Text)]
    name: String,
}

fn corrupt(what: &str) -> Failure {
    Failure::Store(StoreError::Internal(format!(
        "a stored {what} could not be read back"
    )))
}

fn time_of(us: i64) -> Result<OffsetDateTime, Failure> {
    from_micros(us).ok_or_else(|| corrupt("time"))
}

pub(crate) fn login_history<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    q: &LoginHistoryQuery,
) -> Result<Vec<LoginHistoryEntry>, Failure>
where
    LoginOut: QueryableByName<C::Backend>,
{
    let rows: Vec<LoginOut> = c.load_rows(sql::login_history(
        C::DIALECT,
        keyer.subject_key(&q.subject),
        q,
    ))?;
    rows.into_iter()
        .map(|r| {
            Ok(LoginHistoryEntry {
                occurred_at: time_of(r.occurred_us)?,
                service_name: r.service_name,
                eid: r.eid,
                method: r.method,
                client_id: r.client_id,
                orgno: r.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
            })
        })
        .collect()
}

pub(crate) fn access_history<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    q: &AccessHistoryQuery,
) -> Result<AccessHistoryAnswer, Failure>
where
    AnswerRow: QueryableByName<C::Backend>,
{
    let refs = sql::refs_to_check(q);
    let rows: Vec<AnswerRow> = c.load_rows(sql::access_answer(
        C::DIALECT,
        keyer.subject_key(&q.owner),
        &refs,
        q,
    ))?;
    let Some(status) = rows.first() else {
        return Err(corrupt("access-history status"));
    };
    let missing: Vec<CatalogRef> = refs
        .into_iter()
        .zip(status.known.chars().chain(std::iter::repeat('0')))
        .filter(|(_, known)| *known != '1')
        .map(|(r, _)| r)
        .collect();
    if !missing.is_empty() {
        return Ok(AccessHistoryAnswer::NotInCatalog(missing));
    }
    if !status.owner_known {
        return Ok(AccessHistoryAnswer::UnknownOwner);
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.extend(row.entry()?);
    }
    let has_more = entries.len() > usize::from(q.page.count);
    entries.truncate(usize::from(q.page.count));
    Ok(AccessHistoryAnswer::Page(AccessPage { entries, has_more }))
}

fn count<C: Db>(c: &mut C, q: Query) -> Result<i64, Failure>
where
    Count: QueryableByName<C::Backend>,
{
    let rows: Vec<Count> = c.load_rows(q)?;
    Ok(rows.first().map_or(0, |r| r.n))
}

fn exec_all<C: Db>(c: &mut C, qs: Vec<Query>) -> Result<u64, Failure> {
    let mut n = 0;
    for q in qs {
        n += c.exec(q)? as u64;
    }
    Ok(n)
}

/// Registers subjects; sorted so concurrent batches lock in one order.
fn register_subjects<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    keys: BTreeSet<Vec<u8>>,
) -> Result<(), Failure> {
    if C::DIALECT == sql::Dialect::Postgres {
        // One array parameter instead of a VALUES list: no parse cost per row.
        let mut q = Query::new(
            C::DIALECT,
            "INSERT INTO subjects (subject_key, key_id) SELECT k, ",
        );
        q.bind(Value::Text(keyer.key_id().to_owned()))
            .push(" FROM unnest(")
            .bind(Value::BytesArray(keys.into_iter().collect()))
            .push("::bytea[]) AS u(k) ON CONFLICT DO NOTHING");
        c.exec(q.prepared())?;
        return Ok(());
    }
    let rows = keys
        .into_iter()
        .map(|k| vec![Value::Bytes(k), Value::Text(keyer.key_id().to_owned())])
        .collect();
    exec_all(
        c,
        sql::insert_rows(
            C::DIALECT,
            "INSERT INTO subjects (subject_key, key_id)",
            "ON CONFLICT DO NOTHING",
            rows,
        ),
    )?;
    Ok(())
}

/// Registers clients seen at ingestion, each already merged within the
/// batch by [`ClientEntry::learn`]. The upsert is `learn` in SQL: a new
/// client is added as seen; a known one only gains an organisation it
/// lacks (`DO UPDATE SET orgno … WHERE clients.orgno IS NULL`), nothing
/// else is overwritten, because administrators own the catalog.
fn register_clients<C: Db>(
    c: &mut C,
    clients: BTreeMap<String, ClientEntry>,
) -> Result<(), Failure> {
    let apps: BTreeSet<String> = clients.values().map(|e| e.application.clone()).collect();
    register_names(c, "applications", apps)?;
    let rows = clients
        .into_values()
        .map(|e| {
            vec![
                Value::Text(e.client_id),
                Value::Text(e.application),
                Value::OptText(e.orgno.map(|o| o.as_str().to_owned())),
            ]
        })
        .collect();
    exec_all(
        c,
        sql::insert_rows(
            C::DIALECT,
            "INSERT INTO clients (client_id, application, orgno)",
            "ON CONFLICT (client_id) DO UPDATE SET orgno = excluded.orgno \
             WHERE clients.orgno IS NULL AND excluded.orgno IS NOT NULL",
            rows,
        ),
    )?;
    Ok(())
}

/// Merges `seen` into the batch's clients as the catalog would.
fn merge_client(clients: &mut BTreeMap<String, ClientEntry>, seen: ClientEntry) {
    match clients.entry(seen.client_id.clone()) {
        Entry::Occupied(mut known) => known.get_mut().learn(&seen),
        Entry::Vacant(new) => {
            new.insert(seen);
        }
    }
}

fn register_names<C: Db>(c: &mut C, table: &str, names: BTreeSet<String>) -> Result<(), Failure> {
    let rows = names.into_iter().map(|n| vec![Value::Text(n)]).collect();
    exec_all(
        c,
        sql::insert_rows(
            C::DIALECT,
            &format!("INSERT INTO {table} (name)"),
            "ON CONFLICT DO NOTHING",
            rows,
        ),
    )?;
    Ok(())
}

/// The catalog's organisation of each client that has one.
fn catalog_orgnos<C: Db>(
    c: &mut C,
    clients: BTreeSet<String>,
) -> Result<HashMap<String, String>, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
{
    let mut out = HashMap::new();
    for q in sql::select_in(
        C::DIALECT,
        "SELECT client_id, application, orgno FROM clients WHERE orgno IS NOT NULL AND client_id",
        clients.into_iter().collect(),
    ) {
        let rows: Vec<ClientOut> = c.load_rows(q)?;
        out.extend(
            rows.into_iter()
                .filter_map(|r| Some((r.client_id, r.orgno?))),
        );
    }
    Ok(out)
}

/// Events per pipelined chunk of a login batch: hashing chunk k+1 overlaps
/// the database's work on chunk k. Measured: 5,000-event chunks cost the
/// server 15–30 % more CPU per event than one statement per 20,000 (more
/// statements, less index locality), so chunks are as large as one `unnest`
/// statement; a 10,000-event batch is then one chunk, as before.
const LOGIN_CHUNK: usize = 20_000;

/// One chunk of a login batch, keyed and in index order.
struct LoginChunk {
    rows: Vec<LoginRow>,
    subjects: BTreeSet<Vec<u8>>,
}

/// Keys one chunk: the CPU-heavy part of ingestion (two HMACs per event).
fn key_login_chunk(keyer: &Keyer, events: &[LoginEvent]) -> LoginChunk {
    let mut subjects = BTreeSet::new();
    let mut rows = Vec::with_capacity(events.len());
    for e in events {
        let subject_key = keyer.subject_key(&e.subject);
        subjects.insert(subject_key.clone());
        rows.push(LoginRow {
            subject_key,
            occurred_at: e.occurred_at,
            dedup_key: keyer.login_dedup_key(e),
            orgno: e.service_orgno().map(|o| o.as_str().to_owned()),
            client_id: e.client_id().map(str::to_owned),
            service_name: e.service_name().map(str::to_owned),
            eid: e.eid.clone(),
            method: e.method.clone(),
            event_name: e.event_name.clone(),
            correlation_id: e.correlation_id.clone(),
        });
    }
    // Index order: neighbouring rows land on the same B-tree pages.
    rows.sort_unstable_by(|a, b| {
        (&a.subject_key, a.occurred_at).cmp(&(&b.subject_key, b.occurred_at))
    });
    LoginChunk { rows, subjects }
}

pub(crate) fn append_login_events<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    events: &[LoginEvent],
) -> Result<AppendOutcome, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
{
    if events.is_empty() {
        return Ok(AppendOutcome::default());
    }
    let mut clients = BTreeMap::new();
    let mut orgless = BTreeSet::new();
    for seen in events.iter().filter_map(LoginEvent::catalog_client) {
        if seen.orgno.is_none() {
            orgless.insert(seen.client_id.clone());
        }
        merge_client(&mut clients, seen);
    }
    // A pipeline: a helper thread keys chunk k+1 while the database stores
    // chunk k, so on two cores the hashing costs no wall time. One
    // transaction still covers the whole batch.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<LoginChunk>(1);
        scope.spawn(move || {
            for chunk in events.chunks(LOGIN_CHUNK) {
                if tx.send(key_login_chunk(keyer, chunk)).is_err() {
                    break; // the transaction failed; stop keying
                }
            }
        });
        c.write_txn(|c| {
            register_clients(c, clients)?;
            // An event naming no organisation is shown to its client's
            // organisation as the catalog knows it now (also from this batch).
            let known = if orgless.is_empty() {
                HashMap::new()
            } else {
                catalog_orgnos(c, orgless)?
            };
            let mut accepted = 0;
            for mut chunk in rx.iter() {
                if !known.is_empty() {
                    for r in chunk.rows.iter_mut().filter(|r| r.orgno.is_none()) {
                        r.orgno = r.client_id.as_ref().and_then(|id| known.get(id)).cloned();
                    }
                }
                register_subjects(c, keyer, chunk.subjects)?;
                accepted += exec_all(
                    c,
                    sql::insert_login_events(C::DIALECT, keyer.key_id(), chunk.rows),
                )?;
            }
            Ok(AppendOutcome {
                accepted,
                duplicates: events.len() as u64 - accepted,
            })
        })
    })
}

pub(crate) fn append_access_records<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    records: &[AccessRecord],
) -> Result<AppendOutcome, Failure> {
    if records.is_empty() {
        return Ok(AppendOutcome::default());
    }
    let mut subjects = BTreeSet::new();
    let mut clients = BTreeMap::new();
    let mut resources: BTreeMap<String, Option<String>> = BTreeMap::new();
    let (mut actions, mut purposes) = (BTreeSet::new(), BTreeSet::new());
    let mut rows = Vec::with_capacity(records.len());
    for r in records {
        let owner_key = keyer.subject_key(&r.owner);
        subjects.insert(owner_key.clone());
        merge_client(&mut clients, r.catalog_client());
        let urn = resources.entry(r.resource.clone()).or_default();
        if urn.is_none() {
            urn.clone_from(&r.resource_urn);
        }
        actions.insert(r.action.clone());
        purposes.insert(r.purpose.clone());
        rows.push(vec![
            Value::Bytes(owner_key),
            Value::Time(r.occurred_at),
            Value::Bytes(r.id.as_bytes().to_vec()),
            Value::Text(keyer.key_id().to_owned()),
            Value::Text(r.application.clone()),
            Value::Text(r.client_id.clone()),
            Value::Text(r.resource.clone()),
            Value::OptText(r.resource_urn.clone()),
            Value::Text(r.action.clone()),
            Value::Text(r.purpose.clone()),
            Value::Text(r.decision.as_str().to_owned()),
            Value::OptText(r.orgno.as_ref().map(|o| o.as_str().to_owned())),
        ]);
    }
    // Applications are registered by name too: a record's application is
    // valid for `validate` even when its client was first seen elsewhere.
    let apps: BTreeSet<String> = records.iter().map(|r| r.application.clone()).collect();
    c.write_txn(|c| {
        register_names(c, "applications", apps)?;
        register_clients(c, clients)?;
        let rows_res = resources
            .into_iter()
            .map(|(name, urn)| vec![Value::Text(name), Value::OptText(urn)])
            .collect();
        exec_all(
            c,
            sql::insert_rows(
                C::DIALECT,
                "INSERT INTO resources (name, urn)",
                "ON CONFLICT (name) DO UPDATE SET urn = excluded.urn \
                 WHERE resources.urn IS NULL AND excluded.urn IS NOT NULL",
                rows_res,
            ),
        )?;
        register_names(c, "actions", actions)?;
        register_names(c, "purposes", purposes)?;
        register_subjects(c, keyer, subjects)?;
        let accepted = exec_all(
            c,
            sql::insert_rows(
                C::DIALECT,
                "INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, \
                 client_id, resource, resource_urn, action, purpose, decision, orgno)",
                "ON CONFLICT DO NOTHING",
                rows,
            ),
        )?;
        Ok(AppendOutcome {
            accepted,
            duplicates: records.len() as u64 - accepted,
        })
    })
}

pub(crate) fn catalog<C: Db>(c: &mut C) -> Result<Catalog, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
    ResourceOut: QueryableByName<C::Backend>,
    NameOut: QueryableByName<C::Backend>,
{
    let d = C::DIALECT;
    let clients: Vec<ClientOut> = c.load_rows(Query::new(
        d,
        "SELECT client_id, application, orgno FROM clients ORDER BY client_id",
    ))?;
    let resources: Vec<ResourceOut> = c.load_rows(Query::new(
        d,
        "SELECT name, urn FROM resources ORDER BY name",
    ))?;
    let actions: Vec<NameOut> =
        c.load_rows(Query::new(d, "SELECT name FROM actions ORDER BY name"))?;
    let purposes: Vec<NameOut> =
        c.load_rows(Query::new(d, "SELECT name FROM purposes ORDER BY name"))?;
    Ok(Catalog {
        clients: clients
            .into_iter()
            .map(|r| ClientEntry {
                client_id: r.client_id,
                application: r.application,
                orgno: r.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
            })
            .collect(),
        resources: resources
            .into_iter()
            .map(|r| ResourceEntry {
                name: r.name,
                urn: r.urn,
            })
            .collect(),
        actions: actions.into_iter().map(|r| r.name).collect(),
        purposes: purposes.into_iter().map(|r| r.name).collect(),
    })
}

pub(crate) fn put_client<C: Db>(c: &mut C, client: &ClientEntry) -> Result<(), Failure> {
    c.write_txn(|c| {
        register_names(
            c,
            "applications",
            BTreeSet::from([client.application.clone()]),
        )?;
        let mut q = Query::new(
            C::DIALECT,
            "INSERT INTO clients (client_id, application, orgno) VALUES (",
        );
        q.bind(Value::Text(client.client_id.clone()))
            .push(", ")
            .bind(Value::Text(client.application.clone()))
            .push(", ")
            .bind(Value::OptText(
                client.orgno.as_ref().map(|o| o.as_str().to_owned()),
            ))
            .push(
                ") ON CONFLICT (client_id) DO UPDATE SET application = excluded.application, \
                 orgno = excluded.orgno",
            );
        c.exec(q)?;
        Ok(())
    })
}

pub(crate) fn put_resource<C: Db>(c: &mut C, resource: &ResourceEntry) -> Result<(), Failure> {
    let mut q = Query::new(C::DIALECT, "INSERT INTO resources (name, urn) VALUES (");
    q.bind(Value::Text(resource.name.clone()))
        .push(", ")
        .bind(Value::OptText(resource.urn.clone()))
        .push(") ON CONFLICT (name) DO UPDATE SET urn = excluded.urn");
    c.exec(q)?;
    Ok(())
}

/// Row-wise retention: SQLite, and PostgreSQL's remainder after dropping
/// whole partitions.
pub(crate) fn delete_before<C: Db>(c: &mut C, cutoff: OffsetDateTime) -> Result<[u64; 2], Failure> {
    c.write_txn(|c| {
        let mut removed = [0u64; 2];
        for (slot, table) in removed.iter_mut().zip(crate::partitions::TABLES) {
            let mut q = Query::new(
                C::DIALECT,
                &format!("DELETE FROM {table} WHERE occurred_at < "),
            );
            q.bind(Value::Time(cutoff));
            *slot = c.exec(q)? as u64;
        }
        Ok(removed)
    })
}

pub(crate) fn ping<C: Db>(c: &mut C) -> Result<(), Failure>
where
    Count: QueryableByName<C::Backend>,
{
    count(
        c,
        Query::new(C::DIALECT, "SELECT CAST(1 AS BIGINT) AS n").prepared(),
    )?;
    Ok(())
}
