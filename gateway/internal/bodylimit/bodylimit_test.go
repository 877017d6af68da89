package bodylimit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// serveBody runs the middleware over a request whose body is body of unknown length and returns what the
// handler read, its read error and whether the request was marked.
func serveBody(t *testing.T, limit int64, body string) (read string, readErr error, exceeded bool) {
	t.Helper()
	h := Middleware(limit, nil, func(http.ResponseWriter, *http.Request, int64) { t.Fatal("declared length refused") })(
		http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			b, err := io.ReadAll(r.Body)
			read, readErr = string(b), err
			_, exceeded = Exceeded(r.Context())
		}))
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.ContentLength = -1
	h.ServeHTTP(httptest.NewRecorder(), r)
	return read, readErr, exceeded
}

func TestBodyOfExactlyTheLimitPasses(t *testing.T) {
	read, err, exceeded := serveBody(t, 5, "12345")
	if read != "12345" || err != nil || exceeded {
		t.Fatalf("got %q, %v, exceeded=%v", read, err, exceeded)
	}
}

func TestBodyOneByteOverIsMarked(t *testing.T) {
	read, err, exceeded := serveBody(t, 5, "123456")
	if read != "12345" || !errors.Is(err, ErrTooLarge) || !exceeded {
		t.Fatalf("got %q, %v, exceeded=%v", read, err, exceeded)
	}
}

func TestDeclaredLengthOverTheLimitIsRefusedUnread(t *testing.T) {
	var refused int64
	h := Middleware(5, nil, func(_ http.ResponseWriter, _ *http.Request, limit int64) { refused = limit })(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Fatal("handler reached") }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader("123456")))
	if refused != 5 {
		t.Fatalf("tooLarge called with %d", refused)
	}
}

func TestGuardRefusesMarkedRequests(t *testing.T) {
	called := false
	invoker := func(context.Context, string, any, any, *grpc.ClientConn, ...grpc.CallOption) error {
		called = true
		return nil
	}
	st := &state{limit: 5}
	st.exceeded.Store(true)
	ctx := context.WithValue(context.Background(), key{}, st)
	if err := Guard(ctx, "/m", nil, nil, nil, invoker); status.Code(err) != codes.ResourceExhausted || called {
		t.Fatalf("marked request: err %v, called %v", err, called)
	}
	if err := Guard(context.Background(), "/m", nil, nil, nil, invoker); err != nil || !called {
		t.Fatalf("plain request: err %v, called %v", err, called)
	}
}

// A route with a limit of its own (file uploads) takes bodies up to that limit; others keep the general one.
func TestRouteLimit(t *testing.T) {
	var refused int64
	h := Middleware(5, map[string]int64{"/upload": 10}, func(_ http.ResponseWriter, _ *http.Request, limit int64) { refused = limit })(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("123456789")))
	if refused != 0 {
		t.Fatalf("an upload under its route's limit was refused at %d", refused)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("12345678901")))
	if refused != 10 {
		t.Fatalf("an upload over its route's limit: refused at %d", refused)
	}
	refused = 0
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/other", strings.NewReader("123456")))
	if refused != 5 {
		t.Fatalf("another route: refused at %d", refused)
	}
}
