package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// A database fault is one of two kinds, told apart because callers answer them differently:
//
//   - Unreachable: the server cannot be reached or is not accepting work (refused, starting up, shutting
//     down, terminated by an administrator, out of connection slots, the connection lost). Nothing the
//     request asked for can have happened unless the connection died during COMMIT.
//   - Busy: the server is up but the statement gave up: it waited longer than lock_timeout for a lock or ran
//     longer than statement_timeout.
//
// Both are the database's state, not the request's fault: a retry may succeed, so they are 503s, never 500s.

// Unreachable reports whether err says the database server could not be reached or would not serve.
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case len(pgErr.Code) == 5 && pgErr.Code[:2] == "08": // connection_exception
			return true
		case len(pgErr.Code) == 5 && pgErr.Code[:2] == "53": // insufficient_resources, incl. too_many_connections
			return true
		}
		switch pgErr.Code {
		case "57P01", "57P02", "57P03": // admin_shutdown, crash_shutdown, cannot_connect_now
			return true
		case "25006": // read_only_sql_transaction: a connection to a primary just demoted by a failover
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var netErr net.Error
	switch {
	case errors.As(err, &netErr):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		return true
	}
	// pgx's own "conn closed" and friends: the request never reached the server.
	return pgconn.SafeToRetry(err)
}

// Busy reports whether err is a statement that gave up waiting: lock_timeout (55P03) or statement_timeout
// (57014 without the caller's own context having ended, which pgx also reports as 57014 when it cancels), or
// a serialization failure or deadlock (40001, 40P01) that InTx's retries did not clear.
func Busy(ctx context.Context, err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "55P03", codeSerializationFailure, codeDeadlockDetected:
		return true
	case "57014":
		return ctx.Err() == nil
	}
	return false
}

// AsFault turns a database fault into the fault callers are answered with: UNAVAILABLE with the reason
// DATABASE_BUSY or DATABASE_UNAVAILABLE, its cause kept for the logs. Any other error, and one the caller's
// own deadline or cancellation caused, is returned as it is.
func AsFault(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	switch {
	case Busy(ctx, err):
		return &fault.Unavailable{Reason: fault.DatabaseBusy, Cause: err,
			Message: "the database did not answer in time: a statement waited too long for a lock or ran too long; try again shortly"}
	case Unreachable(err):
		return &fault.Unavailable{Reason: fault.DatabaseUnavailable, Cause: err, Message: "the database is unavailable; try again shortly"}
	}
	return err
}
