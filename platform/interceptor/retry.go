package interceptor

import (
	"context"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/postgres"
)

// Reads is the set of full method names that only read: safe to run again whatever happened the first time.
type Reads map[string]bool

// ReadsOf finds the read-only methods of the given services: those served by an HTTP GET, and gRPC-only
// methods named Get… or List… (the event streams).
func ReadsOf(services map[string]grpc.ServiceInfo) Reads {
	reads := Reads{}
	for name, info := range services {
		for _, m := range info.Methods {
			md, err := methodOf(name, m.Name)
			if err != nil {
				continue // not a proto service of ours (health, reflection): never retried
			}
			rule, _ := proto.GetExtension(md.Options(), annotations.E_Http).(*annotations.HttpRule)
			switch {
			case rule.GetGet() != "":
				reads["/"+name+"/"+m.Name] = true
			case rule == nil && (strings.HasPrefix(m.Name, "Get") || strings.HasPrefix(m.Name, "List")):
				reads["/"+name+"/"+m.Name] = true
			}
		}
	}
	return reads
}

// Retry runs a read-only unary call again when it failed because the database could not be reached (a
// restart, a failover): with postgres.OutageBackoff between attempts, for at most postgres.OutageRetryWindow
// and never past the call's deadline. Writes are not retried here: their transactions retry themselves in
// postgres.InTx, which alone knows whether a COMMIT may have happened.
func Retry(reads Reads) Link {
	return Link{
		Name: "retry",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			if !reads[info.FullMethod] {
				return next(ctx, req)
			}
			start := time.Now()
			for attempt := 0; ; attempt++ {
				resp, err := next(ctx, req)
				if err == nil || ctx.Err() != nil || !postgres.Unreachable(err) {
					return resp, err
				}
				wait := postgres.OutageBackoff(attempt)
				if time.Since(start)+wait > postgres.OutageRetryWindow {
					return resp, err
				}
				if postgres.Sleep(ctx, wait) != nil {
					return resp, err
				}
			}
		},
	}
}
