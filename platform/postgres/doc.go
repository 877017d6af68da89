// Package postgres is the one way every Partnerskap service finds, opens, migrates and writes to its
// PostgreSQL database.
//
// Locate finds a server the same way for `make run`, `make test` and the end-to-end test, so that all three
// see the same database without any setup beyond what conventions.md promises. Each service then derives its
// own database from that server URL (WithDatabase, EnsureDatabase), applies its embedded goose migrations
// (Migrate) and opens a pool (Connect). InTx is the single place that decides how transactions are begun,
// retried and ended, so that no store forgets a rollback or a serialization retry.
package postgres
