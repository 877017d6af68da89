package idempotency

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Rewrite edits, in tx, every stored answer of the given methods ("/pkg.Service/Method"): edit receives each
// decoded answer and reports whether it changed it, and changed answers are stored back. It is how an erasure
// reaches the copies of a person's data that idempotency keeps, in the erasure's own transaction, so that no
// replay can return what was erased. It returns how many answers changed.
func Rewrite(ctx context.Context, tx pgx.Tx, methods []string, edit func(proto.Message) bool) (int, error) {
	types := map[string]protoreflect.MessageType{}
	for _, m := range methods {
		t, err := answerType(m)
		if err != nil {
			return 0, err
		}
		types[m] = t
	}
	rows, err := tx.Query(ctx, `SELECT scope, key, response FROM idempotency_keys
		WHERE response IS NOT NULL AND split_part(scope, ' ', 1) = ANY($1) ORDER BY scope, key FOR UPDATE`, methods)
	if err != nil {
		return 0, fmt.Errorf("idempotency: rewrite: %w", err)
	}
	type stored struct {
		scope, key string
		answer     []byte
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stored, error) {
		var s stored
		return s, r.Scan(&s.scope, &s.key, &s.answer)
	})
	if err != nil {
		return 0, fmt.Errorf("idempotency: rewrite: %w", err)
	}
	changed := 0
	for _, s := range all {
		method, _, _ := strings.Cut(s.scope, " ")
		msg := types[method].New().Interface()
		if err := proto.Unmarshal(s.answer, msg); err != nil {
			return changed, fmt.Errorf("idempotency: rewrite: decode answer of %s: %w", method, err)
		}
		if !edit(msg) {
			continue
		}
		answer, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
		if err != nil {
			return changed, fmt.Errorf("idempotency: rewrite: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2`, s.scope, s.key, answer); err != nil {
			return changed, fmt.Errorf("idempotency: rewrite: %w", err)
		}
		changed++
	}
	return changed, nil
}

// answerType is the response message type of a full method name.
func answerType(fullMethod string) (protoreflect.MessageType, error) {
	service, method, ok := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if !ok {
		return nil, fmt.Errorf("idempotency: %q is not a full method name", fullMethod)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil, fmt.Errorf("idempotency: %s: %w", fullMethod, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok || sd.Methods().ByName(protoreflect.Name(method)) == nil {
		return nil, fmt.Errorf("idempotency: no method %s", fullMethod)
	}
	return protoregistry.GlobalTypes.FindMessageByName(sd.Methods().ByName(protoreflect.Name(method)).Output().FullName())
}
