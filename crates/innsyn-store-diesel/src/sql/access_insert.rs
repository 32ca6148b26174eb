//! Access records: the bulk insert.

use innsyn_tlog::{AccessEntry, Hash};
use time::OffsetDateTime;

use super::{Dialect, LEAF_INSERT, NEXT_SEQ_PG, Query, Value, micros};

/// One access record as stored, with its id's content hash.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AccessRow {
    pub(crate) id: Vec<u8>,
    pub(crate) owner_key: Vec<u8>,
    pub(crate) occurred_at: OffsetDateTime,
    pub(crate) content_hash: Vec<u8>,
    pub(crate) application: String,
    pub(crate) client_id: String,
    pub(crate) resource: String,
    pub(crate) resource_urn: Option<String>,
    pub(crate) action: String,
    pub(crate) purpose: String,
    pub(crate) decision: String,
    pub(crate) orgno: Option<String>,
}

pub(crate) const ACCESS_INSERT: &str = "INSERT INTO access_records (owner_key, occurred_at, id, \
     key_id, application, client_id, resource, resource_urn, action, purpose, decision, orgno, \
     log_seq)";

impl AccessRow {
    /// The row as one `VALUES` tuple, in [`ACCESS_INSERT`]'s column order,
    /// naming its leaf `log_seq`.
    pub(crate) fn values(&self, key_id: &str, log_seq: i64) -> Vec<Value> {
        vec![
            Value::Bytes(self.owner_key.clone()),
            Value::Time(self.occurred_at),
            Value::Bytes(self.id.clone()),
            Value::Text(key_id.to_owned()),
            Value::Text(self.application.clone()),
            Value::Text(self.client_id.clone()),
            Value::Text(self.resource.clone()),
            Value::OptText(self.resource_urn.clone()),
            Value::Text(self.action.clone()),
            Value::Text(self.purpose.clone()),
            Value::Text(self.decision.clone()),
            Value::OptText(self.orgno.clone()),
            Value::Int(log_seq),
        ]
    }

    /// The hash of the log leaf stored with this row.
    pub(crate) fn leaf_hash(&self) -> Hash {
        AccessEntry {
            subject_key: &self.owner_key,
            id: &self.id,
            occurred_at_us: micros(self.occurred_at),
            application: &self.application,
            client_id: &self.client_id,
            resource: &self.resource,
            resource_urn: self.resource_urn.as_deref(),
            action: &self.action,
            purpose: &self.purpose,
            decision: &self.decision,
            orgno: self.orgno.as_deref(),
        }
        .leaf_hash()
    }
}

/// PostgreSQL's whole append of a batch as one statement, so one that
/// commits on its own: a group of read records costs one round trip and
/// one WAL flush, no planning (fixed text, one array per column, prepared),
/// instead of a transaction of one statement per table.
///
/// `rows` must be in id order: the ids are claimed in that order
/// (`ON CONFLICT (id) DO NOTHING`, waiting for a concurrent batch that
/// holds one), so concurrent batches queue instead of deadlocking. Only the
/// rows whose ids were claimed go further: their catalog values, owners and
/// rows are stored; a duplicate or a conflict registers nothing. The
/// catalog is merged within the batch as [`innsyn_domain::ClientEntry::learn`]
/// merges (the first application of a client, its first organisation, a
/// resource's first URN, in id order), and upserted by the same rule as
/// every other ingestion path. Each stored row writes its log leaf
/// (pending until the tree builder indexes it). Returns the ids claimed.
pub(crate) fn append_access<'a>(
    key_id: &str,
    rows: impl ExactSizeIterator<Item = &'a AccessRow>,
    with_catalog: bool,
) -> Query {
    let n = rows.len();
    let mut bytes: [Vec<Vec<u8>>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
    let mut times = Vec::with_capacity(n);
    let mut texts: [Vec<Option<String>>; 8] = std::array::from_fn(|_| Vec::with_capacity(n));
    for r in rows {
        for (column, v) in bytes.iter_mut().zip([&r.id, &r.owner_key, &r.content_hash]) {
            column.push(v.clone());
        }
        bytes[3].push(r.leaf_hash().to_vec());
        times.push(r.occurred_at);
        for (column, v) in texts.iter_mut().zip([
            Some(&r.application),
            Some(&r.client_id),
            Some(&r.resource),
            r.resource_urn.as_ref(),
            Some(&r.action),
            Some(&r.purpose),
            Some(&r.decision),
            r.orgno.as_ref(),
        ]) {
            column.push(v.cloned());
        }
    }
    let [ids, owners, hashes, leaves] = bytes;
    let mut q = Query::new(Dialect::Postgres, "WITH u AS (SELECT u.*, ");
    q.push(NEXT_SEQ_PG).push(" AS log_seq FROM unnest(");
    q.bind(Value::BytesArray(ids))
        .push("::bytea[], ")
        .bind(Value::BytesArray(owners))
        .push("::bytea[], ")
        .bind(Value::TimeArray(times))
        .push("::timestamptz[], ")
        .bind(Value::BytesArray(hashes))
        .push("::bytea[], ")
        .bind(Value::BytesArray(leaves))
        .push("::bytea[]");
    for column in texts {
        q.push(", ")
            .bind(Value::OptTextArray(column))
            .push("::text[]");
    }
    q.push(
        ") WITH ORDINALITY AS u(id, owner_key, occurred_at, content_hash, leaf_hash, \
         application, client_id, resource, resource_urn, action, purpose, decision, orgno, \
         ord)), \
         claimed AS (INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash) \
         SELECT id, owner_key, occurred_at, content_hash FROM u ORDER BY ord \
         ON CONFLICT (id) DO NOTHING RETURNING id), \
         new AS (SELECT u.* FROM u JOIN claimed USING (id)), l AS (",
    )
    .push(LEAF_INSERT)
    .push(" SELECT log_seq, leaf_hash FROM new), ");
    if with_catalog {
        push_catalog(&mut q);
    }
    q.push("s AS (INSERT INTO subjects (subject_key, key_id) SELECT DISTINCT owner_key, ")
        .bind(Value::Text(key_id.to_owned()))
        .push(
            " FROM new ORDER BY 1 ON CONFLICT DO NOTHING), \
         w AS (",
        )
        .push(ACCESS_INSERT)
        .push(" SELECT owner_key, occurred_at, id, ")
        .bind(Value::Text(key_id.to_owned()))
        .push(
            ", application, client_id, resource, resource_urn, action, purpose, decision, \
         orgno, log_seq FROM new ON CONFLICT DO NOTHING) \
         SELECT id, NULL::bytea AS content_hash FROM claimed",
        );
    q.prepared()
}

/// The catalog's part of [`append_access`], over the claimed rows.
fn push_catalog(q: &mut Query) {
    q.push(
        "a AS (INSERT INTO applications (name) SELECT DISTINCT application FROM new \
         ORDER BY 1 ON CONFLICT DO NOTHING), \
         c AS (INSERT INTO clients (client_id, application, orgno) \
         SELECT client_id, (array_agg(application ORDER BY ord))[1], \
         (array_agg(orgno ORDER BY ord) FILTER (WHERE orgno IS NOT NULL))[1] \
         FROM new GROUP BY client_id ORDER BY client_id ",
    )
    .push(super::UPSERT_CLIENTS)
    .push(
        "), r AS (INSERT INTO resources (name, urn) SELECT resource, \
         (array_agg(resource_urn ORDER BY ord) FILTER (WHERE resource_urn IS NOT NULL))[1] \
         FROM new GROUP BY resource ORDER BY resource ",
    )
    .push(super::UPSERT_RESOURCES)
    .push(
        "), x AS (INSERT INTO actions (name) SELECT DISTINCT action FROM new \
         ORDER BY 1 ON CONFLICT DO NOTHING), \
         p AS (INSERT INTO purposes (name) SELECT DISTINCT purpose FROM new \
         ORDER BY 1 ON CONFLICT DO NOTHING), ",
    );
}
