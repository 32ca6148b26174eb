DROP TABLE catalog_labels;
DROP TABLE organisations;
