package interceptor

import (
	"context"
	"io"
	"testing"

	"google.golang.org/grpc"
)

func TestRetryRunsAReadAgainAfterADatabaseOutage(t *testing.T) {
	link := Retry(Reads{"/x.Y/GetThing": true})
	for _, tc := range []struct {
		method    string
		wantCalls int
		wantErr   bool
	}{
		{"/x.Y/GetThing", 3, false},   // a read: run until the database answers
		{"/x.Y/CreateThing", 1, true}, // a write: its transaction decides, not this link
	} {
		calls := 0
		handler := func(ctx context.Context, req any) (any, error) {
			calls++
			if calls < 3 {
				return nil, io.ErrUnexpectedEOF
			}
			return "ok", nil
		}
		_, err := link.Unary(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: tc.method}, handler)
		if calls != tc.wantCalls || (err != nil) != tc.wantErr {
			t.Errorf("%s: %d calls, err %v; want %d calls, error %v", tc.method, calls, err, tc.wantCalls, tc.wantErr)
		}
	}
}

func TestRetryLeavesOtherErrorsAlone(t *testing.T) {
	calls := 0
	link := Retry(Reads{"/x.Y/GetThing": true})
	_, err := link.Unary(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x.Y/GetThing"}, func(context.Context, any) (any, error) {
		calls++
		return nil, context.Canceled
	})
	if calls != 1 || err == nil {
		t.Fatalf("%d calls, err %v; want one call and its error", calls, err)
	}
}
