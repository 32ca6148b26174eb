DROP TABLE log_checkpoints;
DROP TABLE log_tree;
DROP TABLE log_nodes;
DROP TABLE log_leaves;
ALTER TABLE access_records DROP COLUMN log_seq;
ALTER TABLE login_events DROP COLUMN log_seq;
