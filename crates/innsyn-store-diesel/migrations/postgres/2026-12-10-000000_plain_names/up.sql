-- Plain words for the catalog's codes (issue 14): organisations by the
-- names citizens know them by, and display names of resources, actions
-- and purposes in bokmål and English. Administrators set them; the page
-- looks up only the codes it shows (primary keys). Small reference tables
-- on Citus.
CREATE TABLE organisations (
    orgno TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE catalog_labels (
    kind TEXT NOT NULL CHECK (kind IN ('resource', 'action', 'purpose')),
    name TEXT NOT NULL,
    nb TEXT NOT NULL,
    en TEXT,
    PRIMARY KEY (kind, name)
);
