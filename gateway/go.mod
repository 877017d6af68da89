module github.com/partnerskap/partnerskap/gateway

go 1.26.0

require (
	github.com/coreos/go-oidc/v3 v3.21.0
	github.com/grpc-ecosystem/grpc-gateway/v2 v2.33.0
	github.com/partnerskap/partnerskap/platform v0.0.0
	github.com/partnerskap/partnerskap/proto v0.0.0
	golang.org/x/net v0.62.0
	golang.org/x/oauth2 v0.38.0
	golang.org/x/text v0.44.0
	golang.org/x/time v0.15.0
	google.golang.org/genproto/googleapis/rpc v0.0.0-20261110000943-09e21b237f2c
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go v1.36.12-20260825204119-511051f7f437.2 // indirect
	github.com/go-jose/go-jose/v4 v4.1.9 // indirect
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	google.golang.org/genproto v0.0.0-20261026165753-2ffab32bce7e // indirect
	google.golang.org/genproto/googleapis/api v0.0.0-20261110000943-09e21b237f2c // indirect
)

replace github.com/partnerskap/partnerskap/proto => ../proto

replace github.com/partnerskap/partnerskap/platform => ../platform
