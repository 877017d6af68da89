// Package codec is the gateway's one JSON marshaler, so that request decoding, answers and error bodies all
// spell JSON the same way.
//
// Field names are lowerCamelCase (protojson's default), the names protoc-gen-openapiv2 writes into the
// OpenAPI document, so the document and the wire agree. On input protojson accepts the proto (snake_case)
// names as well.
package codec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Marshaler is runtime.JSONPb with decode errors that tell the client what is wrong with its body.
type Marshaler struct {
	runtime.JSONPb
}

// New returns the marshaler. Unknown fields are rejected rather than dropped (DiscardUnknown false) so that a
// typo in a write never silently loses data.
func New() *Marshaler {
	return &Marshaler{runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false, UseProtoNames: false},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}}
}

// NewDecoder wraps the JSONPb decoder. The generated handlers turn any decode error into INVALID_ARGUMENT
// with the error's text as the message, so the text is the only place to say which mistake it was.
func (m *Marshaler) NewDecoder(r io.Reader) runtime.Decoder {
	return decoder{m.JSONPb.NewDecoder(r)}
}

type decoder struct{ inner runtime.Decoder }

func (d decoder) Decode(v any) error {
	err := d.inner.Decode(v)
	if err == nil || errors.Is(err, io.EOF) {
		// io.EOF is an empty body, which the generated handlers accept as an empty message.
		return err
	}
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the request body is not valid JSON: %w", err)
	case errors.Is(err, proto.Error):
		// protojson's own errors: an unknown field, or a value of the wrong JSON type for its field.
		return fmt.Errorf("the request body does not fit %s (unknown field or wrong JSON type): %w", messageName(v), err)
	}
	// Anything else came from reading the body (such as the size limit) and passes unchanged, so that the
	// error handler can still recognise it.
	return err
}

// messageName returns the full protobuf name of the message v points to (through any number of pointers).
func messageName(v any) string {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if m, ok := rv.Interface().(proto.Message); ok {
			return string(m.ProtoReflect().Descriptor().FullName())
		}
		if rv.IsNil() {
			break
		}
		rv = rv.Elem()
	}
	return "the request message"
}
