// Package headers decides which headers cross the gateway, in each direction.
//
// Towards the services only four reach gRPC metadata: Authorization, Idempotency-Key, If-Match and
// X-Request-Id. Everything else, in particular Grpc-Metadata-* headers that would let a client forge any
// metadata key a service trusts, stays at the gateway. Towards the client only the request id and the ETag
// leave, so internal metadata never shows up as Grpc-Metadata-* response headers; a service's x-http-code
// becomes the HTTP status instead of a header. Every answer also gets the headers that keep it out of caches and
// stop browsers from sniffing its type (Protect).
package headers
