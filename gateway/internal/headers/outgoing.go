package headers

import (
	"context"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"

	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/requestid"
)

// Outgoing is the runtime.WithOutgoingHeaderMatcher function: of a service's header metadata only the request
// id and the etag become response headers; the rest is internal.
func Outgoing(key string) (string, bool) {
	switch strings.ToLower(key) {
	case requestid.Header:
		return textproto.CanonicalMIMEHeaderKey(requestid.Header), true
	case httpmeta.ETagKey:
		return "ETag", true
	}
	return "", false
}

// NoTrailers is the runtime.WithOutgoingTrailerMatcher function: no trailer metadata reaches the client.
func NoTrailers(string) (string, bool) { return "", false }

// ForwardResponse is the runtime.WithForwardResponseOption function that puts a successful answer's metadata
// in HTTP terms: the ETag header (quoted, as HTTP wants it; Outgoing copied it raw), one X-Request-Id (a
// service echoing it would otherwise make two), and the status from x-http-code, such as 201 on create.
//
// It must run after every other response option, since writing the status ends the changes to headers.
func ForwardResponse(ctx context.Context, w http.ResponseWriter, _ proto.Message) error {
	if id := requestid.From(ctx); id != "" {
		w.Header().Set(textproto.CanonicalMIMEHeaderKey(requestid.Header), id)
	}
	md, ok := runtime.ServerMetadataFromContext(ctx)
	if !ok {
		return nil
	}
	if v := md.HeaderMD.Get(httpmeta.ETagKey); len(v) > 0 {
		if tag, ok := quoteETag(v[0]); ok {
			w.Header().Set("ETag", tag)
		} else {
			w.Header().Del("ETag")
		}
	}
	if v := md.HeaderMD.Get(httpmeta.StatusKey); len(v) > 0 {
		// Only success codes: an error always travels as a gRPC status, through the error handler.
		if code, err := strconv.Atoi(v[0]); err == nil && code > 200 && code < 300 {
			w.WriteHeader(code)
		}
	}
	return nil
}

// quoteETag returns etag as a strong entity tag. An etag already quoted (or weak) passes as it is; one with
// characters an entity tag cannot hold is refused, since a broken header is worse than none.
func quoteETag(etag string) (string, bool) {
	if etag == "" {
		return "", false
	}
	inner := etag
	switch {
	case strings.HasPrefix(etag, `W/"`) && strings.HasSuffix(etag, `"`) && len(etag) >= 4:
		inner = etag[3 : len(etag)-1]
	case strings.HasPrefix(etag, `"`) && strings.HasSuffix(etag, `"`) && len(etag) >= 2:
		inner = etag[1 : len(etag)-1]
	default:
		etag = `"` + etag + `"`
	}
	for _, c := range []byte(inner) {
		if c < 0x21 || c == '"' || c == 0x7f {
			return "", false
		}
	}
	return etag, true
}
