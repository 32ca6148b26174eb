DROP TABLE log_checkpoints;
DROP TABLE log_tree;
DROP TABLE log_nodes;
DROP TABLE log_leaves;
