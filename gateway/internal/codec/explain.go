package codec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// explainBody returns what is wrong with raw, one JSON value that protojson refused as a message of md:
// the first problem in the order of the document, named by its field path in JSON names, such as
// `field "partnership.startDate": expected a date, "YYYY-MM-DD" or {"year":..,"month":..,"day":..}`.
func explainBody(md protoreflect.MessageDescriptor, raw []byte) string {
	w := walker{dec: json.NewDecoder(bytes.NewReader(raw))}
	w.dec.UseNumber()
	tok, err := w.dec.Token()
	if err != nil {
		return unexplained
	}
	if tok != json.Delim('{') {
		return "the request body must be a JSON object " + strings.TrimPrefix(messageExpectation(md), "an object ")
	}
	if p := w.object(md, ""); p != "" {
		return p
	}
	// The walker mirrors protojson's rules; should they ever differ, say so without protojson's words.
	return unexplained
}

// unexplained is the message for a body protojson refused for a reason the walker does not know.
const unexplained = "the request body does not fit this route; its schema is in /openapi.json"

// walker reads a JSON document token by token against a message descriptor.
type walker struct {
	dec *json.Decoder
}

// object reads the members of an object whose '{' was read, as a message of md at path; it returns the
// first problem, or "".
func (w *walker) object(md protoreflect.MessageDescriptor, path string) string {
	seen := map[protoreflect.FieldNumber]string{} // a field -> where it was given
	oneofs := map[protoreflect.FullName]string{}  // a oneof -> where its member was given
	for w.dec.More() {
		keyTok, err := w.dec.Token()
		if err != nil {
			return ""
		}
		key, _ := keyTok.(string)
		fd := md.Fields().ByJSONName(key)
		if fd == nil {
			fd = md.Fields().ByTextName(key)
		}
		if fd == nil {
			return unknownField(md, path, key)
		}
		at := join(path, key) // named as the client wrote it, in either spelling
		if first, twice := seen[fd.Number()]; twice {
			if first == at {
				return fmt.Sprintf("field %q is given twice; a field has one value", at)
			}
			return fmt.Sprintf("fields %q and %q are one field in two spellings; give it once", first, at)
		}
		seen[fd.Number()] = at
		tok, err := w.dec.Token()
		if err != nil {
			return ""
		}
		if tok == nil && !acceptsNull(fd) {
			continue // null leaves a field unset, and does not choose a oneof's member
		}
		if of := fd.ContainingOneof(); of != nil && !of.IsSynthetic() {
			if other, set := oneofs[of.FullName()]; set {
				return fmt.Sprintf("fields %q and %q exclude each other; give only one", other, at)
			}
			oneofs[of.FullName()] = at
		}
		if p := w.field(fd, at, tok); p != "" {
			return p
		}
	}
	_, _ = w.dec.Token() // the closing '}'
	return ""
}

// field reads the value of fd whose first token is tok.
func (w *walker) field(fd protoreflect.FieldDescriptor, at string, tok json.Token) string {
	switch {
	case fd.IsList():
		if tok != json.Delim('[') {
			return fmt.Sprintf("field %q: expected an array, each item %s", at, expectation(fd))
		}
		for i := 0; w.dec.More(); i++ {
			item, err := w.dec.Token()
			if err != nil {
				return ""
			}
			if p := w.single(fd, fmt.Sprintf("%s[%d]", at, i), item); p != "" {
				return p
			}
		}
		_, _ = w.dec.Token()
	case fd.IsMap():
		if tok != json.Delim('{') {
			return fmt.Sprintf("field %q: expected an object whose values are each %s", at, expectation(fd.MapValue()))
		}
		for w.dec.More() {
			keyTok, err := w.dec.Token()
			if err != nil {
				return ""
			}
			key, _ := keyTok.(string)
			entry := fmt.Sprintf("%s[%q]", at, key)
			if p := checkMapKey(fd.MapKey(), key); p != "" {
				return fmt.Sprintf("key %q of field %q: %s", key, at, p)
			}
			value, err := w.dec.Token()
			if err != nil {
				return ""
			}
			if p := w.single(fd.MapValue(), entry, value); p != "" {
				return p
			}
		}
		_, _ = w.dec.Token()
	default:
		return w.single(fd, at, tok)
	}
	return ""
}

// single reads one value of fd (a list's item or a map's value for such fields) whose first token is tok.
func (w *walker) single(fd protoreflect.FieldDescriptor, at string, tok json.Token) string {
	isMessage := fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind
	switch {
	case isMessage && freeForm(fd.Message()):
		// Any JSON fits google.protobuf.Value; Struct and ListValue take any members of their shape.
		fits := fd.Message().FullName() == "google.protobuf.Value" || tok == json.Delim(openedBy(fd.Message()))
		w.skip(tok)
		if !fits {
			return fmt.Sprintf("field %q: expected %s", at, expectation(fd))
		}
		return ""
	case tok == nil:
		return fmt.Sprintf("field %q: expected %s, not null", at, expectation(fd))
	case isMessage && !scalarForm(fd.Message()):
		if tok != json.Delim('{') {
			w.skip(tok)
			return fmt.Sprintf("field %q: expected %s", at, expectation(fd))
		}
		return w.object(fd.Message(), at)
	}
	if _, compound := tok.(json.Delim); compound {
		w.skip(tok)
	}
	if p := checkScalar(fd, tok); p != "" {
		return fmt.Sprintf("field %q: %s", at, p)
	}
	return ""
}

// acceptsNull reports whether null is a value of fd rather than its absence: only google.protobuf.Value.
func acceptsNull(fd protoreflect.FieldDescriptor) bool {
	return fd.Message() != nil && fd.Message().FullName() == "google.protobuf.Value"
}

// freeForm reports whether a message takes arbitrary JSON of its shape.
func freeForm(md protoreflect.MessageDescriptor) bool {
	switch md.FullName() {
	case "google.protobuf.Struct", "google.protobuf.ListValue", "google.protobuf.Value", "google.protobuf.Any":
		return true
	}
	return false
}

// openedBy is the delimiter that opens a free-form message's JSON: '{' for Struct and Any, '[' for
// ListValue.
func openedBy(md protoreflect.MessageDescriptor) rune {
	if md.FullName() == "google.protobuf.ListValue" {
		return '['
	}
	return '{'
}

// skip reads the rest of a value whose first token is tok.
func (w *walker) skip(tok json.Token) {
	d, ok := tok.(json.Delim)
	if !ok || d == '}' || d == ']' {
		return
	}
	for depth := 1; depth > 0; {
		t, err := w.dec.Token()
		if err != nil {
			return
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// checkMapKey returns what is wrong with a map key, which JSON always writes as a string.
func checkMapKey(fd protoreflect.FieldDescriptor, key string) string {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return ""
	case protoreflect.BoolKind:
		if key == "true" || key == "false" {
			return ""
		}
		return "expected true or false"
	}
	if _, err := strconv.ParseInt(key, 10, 64); err == nil {
		return checkScalar(fd, json.Number(key))
	}
	if _, err := strconv.ParseUint(key, 10, 64); err == nil {
		return checkScalar(fd, json.Number(key))
	}
	return "expected " + expectation(fd)
}

// unknownField names a field md does not have, and the ones it does.
func unknownField(md protoreflect.MessageDescriptor, path, key string) string {
	fields := md.Fields()
	names := make([]string, fields.Len())
	for i := range names {
		names[i] = strconv.Quote(fields.Get(i).JSONName())
	}
	where := "the fields are "
	if path != "" {
		where = fmt.Sprintf("the fields of %q are ", path)
	}
	return fmt.Sprintf("unknown field %q; %s%s", join(path, key), where, strings.Join(names, ", "))
}

// join appends a field name to a path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
