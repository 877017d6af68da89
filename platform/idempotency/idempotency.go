// Package idempotency makes creates and money-moving calls safe to retry. A request that carries an
// Idempotency-Key (gRPC metadata "idempotency-key") is run once: a retry with the same key and the same
// request gets the first answer, and the same key with another request is refused with 409.
//
// The key, the request's hash and the answer are stored in the same transaction as the write itself, so a
// crash can never leave a write without its key or a key without its write. The service's database needs the
// table idempotency_keys (scope, key, request_hash, response, create_time), primary key (scope, key), which
// platform/schema makes.
//
// A stored answer is as private as the call that made it. Keys are scoped by method and by the whole of the
// caller's identity (issuer, subject, role and organisation), so another caller's key never finds it; and a
// replay is authorized again (Check) before the answer is returned, so a caller who has since lost sight of
// what the answer names gets NOT_FOUND, exactly as a fresh call would. Keys expire (Expire) after a time.
package idempotency

import (
	"context"
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// Header is the metadata key of the idempotency key.
const Header = "idempotency-key"

var wellFormed = regexp.MustCompile(`^[\x21-\x7e]{1,200}$`)

// keyFrom returns the caller's idempotency key, or "" when there is none.
func keyFrom(ctx context.Context) (string, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get(Header)
	if len(vals) == 0 {
		return "", nil
	}
	if !wellFormed.MatchString(vals[0]) {
		return "", fault.InvalidField("Idempotency-Key", "must be 1 to 200 visible ASCII characters, e.g. a UUID")
	}
	return vals[0], nil
}

// Check authorizes a replay: it returns the fault a fresh call would (NOT_FOUND for what the caller may not
// see) when the caller may no longer see what the stored answer names, and nil otherwise. It runs in the
// replay's transaction.
type Check[T proto.Message] func(tx pgx.Tx, answer T) error

// Public is the Check of answers every caller of the method may always see (organisations, programme rules).
func Public[T proto.Message](pgx.Tx, T) error { return nil }

// Run runs fn in a read-committed transaction. When the call carries an idempotency key it is honoured as the
// package comment says, and a replayed answer is returned only when check passes. A failed call stores
// nothing, so its retry runs again.
func Run[T proto.Message](ctx context.Context, pool *pgxpool.Pool, req proto.Message, check Check[T], fn func(pgx.Tx) (T, error)) (T, error) {
	var result T
	key, err := keyFrom(ctx)
	if err != nil {
		return result, err
	}
	scope := scopeOf(ctx)
	hash, err := requestHash(req)
	if err != nil {
		return result, err
	}
	err = postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if key != "" {
			replayed, found, err := replay[T](ctx, tx, scope, key, hash)
			if err != nil {
				return err
			}
			if found {
				if err := check(tx, replayed); err != nil {
					return err
				}
				result = replayed
				return nil
			}
		}
		out, err := fn(tx)
		if err != nil {
			return err
		}
		result = out
		if key == "" {
			return nil
		}
		answer, err := proto.MarshalOptions{Deterministic: true}.Marshal(out)
		if err != nil {
			return fmt.Errorf("idempotency: encode answer: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2`, scope, key, answer)
		return err
	})
	return result, err
}

// replay reserves the key, or, when an earlier request holds it, returns that request's answer. A concurrent
// request with the same key waits on the reservation's row lock until the first one commits or rolls back.
func replay[T proto.Message](ctx context.Context, tx pgx.Tx, scope, key string, hash []byte) (T, bool, error) {
	var zero T
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, create_time)
		VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING`, scope, key, hash)
	if err != nil {
		return zero, false, fmt.Errorf("idempotency: reserve key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return zero, false, nil
	}
	var storedHash, answer []byte
	err = tx.QueryRow(ctx, `SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2`, scope, key).Scan(&storedHash, &answer)
	if err != nil {
		return zero, false, fmt.Errorf("idempotency: read key: %w", err)
	}
	if string(storedHash) != string(hash) {
		return zero, false, &fault.Conflict{Reason: "IDEMPOTENCY_KEY_REUSED", Message: "this Idempotency-Key was used for a different request; use a new key for a new request"}
	}
	out := zero.ProtoReflect().Type().New().Interface().(T)
	if err := proto.Unmarshal(answer, out); err != nil {
		return zero, false, fmt.Errorf("idempotency: decode stored answer: %w", err)
	}
	return out, true, nil
}

// scopeOf is the method and the caller's whole identity: subjects are unique only within an issuer, and one
// subject may act in several roles or for several organisations, each seeing different things.
func scopeOf(ctx context.Context) string {
	method, _ := grpc.Method(ctx)
	p, _ := auth.FromContext(ctx)
	return strings.Join([]string{method, p.Issuer, p.Subject, string(p.Role), p.Org}, " ")
}

func requestHash(req proto.Message) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("idempotency: encode request: %w", err)
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}
