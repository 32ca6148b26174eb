DROP TABLE access_records;
DROP TABLE login_events;
DROP TABLE purposes;
DROP TABLE actions;
DROP TABLE applications;
DROP TABLE resources;
DROP TABLE clients;
DROP TABLE subjects;
