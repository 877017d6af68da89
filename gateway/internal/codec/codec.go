// Package codec is the gateway's one JSON marshaler and its one reader of client input, so that request
// decoding, answers and error bodies all spell JSON the same way, and every input the gateway cannot read is
// refused in the client's terms: the field, by its JSON name, and what it expects there.
//
// Field names are lowerCamelCase (protojson's default), the names protoc-gen-openapiv2 writes into the
// OpenAPI document, so the document and the wire agree. On input protojson accepts the proto (snake_case)
// names as well.
//
// protojson's own errors name proto types and carry its parser's wording ("proto: syntax error (line 1:2):
// unexpected token"), and the generated handlers copy a decode error's text into the 400 they answer. So
// when protojson refuses a body, this package reads the body again against the message's descriptor and
// describes the first thing wrong (explain.go); query parameters get the same treatment (query.go).
package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"unicode/utf8"

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

// NewDecoder returns a decoder of one JSON value from r. The bytes read are kept, so that a syntax error
// can be placed by line and column; the body limit in front of the gateway bounds them.
func (m *Marshaler) NewDecoder(r io.Reader) runtime.Decoder {
	rec := &recorder{r: r}
	return &decoder{m: m, rec: rec, json: json.NewDecoder(rec)}
}

type decoder struct {
	m    *Marshaler
	rec  *recorder
	json *json.Decoder
}

func (d *decoder) Decode(v any) error {
	var raw json.RawMessage
	if err := d.json.Decode(&raw); err != nil {
		return d.readError(err)
	}
	msg, ok := messageIn(v)
	if !ok {
		// No route binds its body to a non-message field today; JSONPb knows how, should one ever do so.
		if err := d.m.Unmarshal(raw, v); err != nil {
			return errors.New("the request body does not fit this route; its schema is in /openapi.json")
		}
		return nil
	}
	if err := d.m.UnmarshalOptions.Unmarshal(raw, msg); err != nil {
		// Dates written as "2025-03-01" are accepted too; only a body protojson refuses pays for the rewrite.
		md := msg.ProtoReflect().Descriptor()
		if rewritten, ok := datesAsObjects(md, raw); ok {
			proto.Reset(msg)
			if d.m.UnmarshalOptions.Unmarshal(rewritten, msg) == nil {
				return nil
			}
		}
		return errors.New(explainBody(md, raw))
	}
	return nil
}

// readError words a failure to read one JSON value.
func (d *decoder) readError(err error) error {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		// An empty body, which the generated handlers accept as an empty message.
		return err
	case errors.As(err, &syntax):
		return errors.New("the request body is not valid JSON: " + d.rec.describe(syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the request body is not valid JSON: it ends before its value does")
	}
	// Anything else came from reading the body (such as the size limit) and passes unchanged, so that the
	// error handler can still recognise it.
	return err
}

// messageIn returns the message v points to, through any number of pointers, allocating nil ones as the
// generated handlers expect (they decode a body field into a pointer to its nil message pointer).
func messageIn(v any) (proto.Message, bool) {
	if m, ok := v.(proto.Message); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		elem := rv.Elem()
		if elem.Kind() != reflect.Pointer {
			return nil, false
		}
		if elem.IsNil() {
			elem.Set(reflect.New(elem.Type().Elem()))
		}
		if m, ok := elem.Interface().(proto.Message); ok {
			return m, true
		}
		rv = elem
	}
	return nil, false
}

// maxRecorded bounds the bytes kept for placing a syntax error, should the decoder read an unlimited body.
const maxRecorded = 4 << 20

// recorder keeps what was read through it.
type recorder struct {
	r   io.Reader
	buf bytes.Buffer
}

func (rec *recorder) Read(p []byte) (int, error) {
	n, err := rec.r.Read(p)
	if room := maxRecorded - rec.buf.Len(); room > 0 {
		rec.buf.Write(p[:min(n, room)])
	}
	return n, err
}

// describe places the byte at offset (1-based, as json.SyntaxError counts) by line and column and shows it.
func (rec *recorder) describe(offset int64) string {
	read := rec.buf.Bytes()
	if offset < 1 || offset > int64(len(read)) {
		return fmt.Sprintf("unexpected input at byte %d", offset)
	}
	before := read[:offset-1]
	line := bytes.Count(before, []byte("\n")) + 1
	column := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	found, _ := utf8.DecodeRune(read[offset-1:])
	return fmt.Sprintf("unexpected %q at line %d, column %d", found, line, column)
}
