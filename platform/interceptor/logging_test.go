package interceptor

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/partnerskap/partnerskap/platform/logging"
)

// Every failed and every slow call is logged; a quick successful one only at debug level.
func TestLoggingLevels(t *testing.T) {
	var buf bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(logging.New(&buf, "info", "test"))
	unary := Logging(20 * time.Millisecond).Unary
	for _, tc := range []struct {
		name  string
		delay time.Duration
		err   error
		level string // "" when nothing is logged at info
	}{
		{"quick success", 0, nil, ""},
		{"slow success", 30 * time.Millisecond, nil, "INFO"},
		{"the caller's mistake", 0, status.Error(codes.NotFound, "no such thing"), "INFO"},
		{"an outage", 0, status.Error(codes.Unavailable, "database down"), "WARN"},
		{"a bug", 0, status.Error(codes.Internal, "oops"), "ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			_, _ = unary(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/partnerskap.test.v1.T/Get"},
				func(context.Context, any) (any, error) { time.Sleep(tc.delay); return nil, tc.err })
			if tc.level == "" {
				if buf.Len() != 0 {
					t.Fatalf("logged at info: %s", buf.String())
				}
				return
			}
			if !strings.Contains(buf.String(), `"level":"`+tc.level+`"`) || !strings.Contains(buf.String(), `"grpc call"`) {
				t.Fatalf("want one line at %s: %s", tc.level, buf.String())
			}
		})
	}
}
