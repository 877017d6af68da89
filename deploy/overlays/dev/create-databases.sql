-- One database per service (conventions.md). The image's entrypoint runs this once, when the data
-- directory is new, as the POSTGRES_USER it has just created; that role owns all four databases here.
-- Production gives each service its own role (deploy/README.md, "PostgreSQL").
CREATE DATABASE partnerskap_partnership;
CREATE DATABASE partnerskap_network;
CREATE DATABASE partnerskap_finance;
CREATE DATABASE partnerskap_reporting;
CREATE DATABASE partnerskap_notification;
