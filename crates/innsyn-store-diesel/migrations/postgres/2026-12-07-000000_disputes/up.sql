-- Disputes ("det var ikke meg"): a citizen's case about one login event or
-- access record, routed to the organisation that answers for it.
--
-- A case keeps a copy of what the organisation may see of its item (time,
-- client, service, eID, or resource, action, purpose and decision) so it
-- stays readable after retention removes the item once the case is closed.
-- While it is open or answered, retention skips the item (the partial
-- index disputes_held answers that probe).
--
-- Citus: cases are few beside the histories, so disputes and
-- confirmed_items are meant to be reference tables (replicated to every
-- node), which keeps retention's anti-join with the distributed history
-- tables local to each shard.

CREATE TABLE disputes (
    id bytea PRIMARY KEY,
    subject_key bytea NOT NULL,
    key_id text COLLATE "C" NOT NULL,
    item_kind text COLLATE "C" NOT NULL CHECK (item_kind IN ('login', 'access')),
    item_key bytea NOT NULL,
    occurred_at timestamptz NOT NULL,
    client_id text COLLATE "C",
    orgno text COLLATE "C" NOT NULL,
    service_name text COLLATE "C",
    eid text COLLATE "C",
    method text COLLATE "C",
    application text COLLATE "C",
    resource text COLLATE "C",
    action text COLLATE "C",
    purpose text COLLATE "C",
    decision text COLLATE "C",
    message text,
    status text COLLATE "C" NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    answer text,
    opened_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- One case per citizen and item: disputing it again finds this one.
    CONSTRAINT disputes_item UNIQUE (subject_key, item_kind, item_key)
);
-- An organisation's cases newest first, all of them or by status, read
-- backwards from a keyset position.
CREATE INDEX disputes_org_opened ON disputes (orgno, opened_at, id);
CREATE INDEX disputes_org_status_opened ON disputes (orgno, status, opened_at, id);
CREATE INDEX disputes_subject_opened ON disputes (subject_key, opened_at, id);
-- Retention's probe: is this item held by a case that is not closed?
CREATE INDEX disputes_held ON disputes (item_key) WHERE status <> 'closed';
-- Retention removes closed cases whose item is past the cutoff.
CREATE INDEX disputes_closed_time ON disputes (occurred_at) WHERE status = 'closed';

-- "Dette var meg": items a citizen recognised, so the page no longer marks
-- them. occurred_at is the item's time: retention removes the confirmation
-- with the item.
CREATE TABLE confirmed_items (
    subject_key bytea NOT NULL,
    item_kind text COLLATE "C" NOT NULL CHECK (item_kind IN ('login', 'access')),
    item_key bytea NOT NULL,
    occurred_at timestamptz NOT NULL,
    confirmed_at timestamptz NOT NULL,
    PRIMARY KEY (subject_key, item_kind, item_key)
);
CREATE INDEX confirmed_items_time ON confirmed_items (occurred_at);
