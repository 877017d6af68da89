// Package httpmeta is how a gRPC handler says what the REST gateway should put in HTTP terms: a status other
// than 200 (201 on create), the resource's ETag, and the If-Match the client sent. The services set and read
// plain gRPC metadata; the gateway alone turns it into HTTP, in one place.
package httpmeta

import (
	"context"
	"strconv"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// Metadata keys shared with the gateway.
const (
	// StatusKey carries the HTTP status code of a successful answer.
	StatusKey = "x-http-code"
	// ETagKey carries the resource's etag, sent as the ETag header.
	ETagKey = "etag"
	// IfMatchKey carries the client's If-Match header.
	IfMatchKey = "if-match"
)

// Created marks the answer as a newly created resource (HTTP 201) with the given etag.
func Created(ctx context.Context, etag string) {
	_ = grpc.SetHeader(ctx, metadata.Pairs(StatusKey, strconv.Itoa(201), ETagKey, etag))
}

// ETag sends the etag of the resource in the answer.
func ETag(ctx context.Context, etag string) {
	_ = grpc.SetHeader(ctx, metadata.Pairs(ETagKey, etag))
}

// IfMatch returns the etag the caller expects: the one in the request body when set, else the If-Match header.
func IfMatch(ctx context.Context, bodyETag string) string {
	if bodyETag != "" {
		return bodyETag
	}
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get(IfMatchKey); len(v) > 0 {
		return v[0]
	}
	return ""
}
