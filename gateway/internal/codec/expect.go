package codec

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file says what one JSON value of a field must look like, in words a client understands, and checks
// a scalar value the way protojson reads it. protojson's rules (which it documents in the proto3 JSON
// mapping) are mirrored, never loosened: a value this file accepts is one protojson accepts.

// fieldsShown bounds how many fields the description of an object lists.
const fieldsShown = 6

// expectation describes one value of fd: for a list or map field, one element.
func expectation(fd protoreflect.FieldDescriptor) string {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return "true or false"
	case protoreflect.EnumKind:
		return enumExpectation(fd.Enum())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "an integer"
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "a whole number (0 or more)"
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return "a number"
	case protoreflect.StringKind:
		return "a string"
	case protoreflect.BytesKind:
		return "base64 text"
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return messageExpectation(fd.Message())
	}
	return "a value of another type"
}

// messageExpectation describes a message's JSON form: the well-known types by their special forms, any
// other message as an object with its first fields.
func messageExpectation(md protoreflect.MessageDescriptor) string {
	switch md.FullName() {
	case "google.type.Date":
		return `a date, "YYYY-MM-DD" or {"year":..,"month":..,"day":..}`
	case "google.protobuf.Timestamp":
		return `an RFC 3339 time such as "2025-03-01T09:30:00Z"`
	case "google.protobuf.Duration":
		return `a duration in seconds such as "1.5s"`
	case "google.protobuf.FieldMask":
		return `field names in lowerCamelCase separated by commas, such as "title,coreAreas"`
	case "google.protobuf.Struct":
		return "an object"
	case "google.protobuf.ListValue":
		return "an array"
	case "google.protobuf.Value":
		return "any JSON value"
	case "google.protobuf.Empty":
		return "an empty object {}"
	}
	if isWrapper(md) {
		return expectation(md.Fields().ByName("value"))
	}
	fields := md.Fields()
	names := make([]string, 0, fieldsShown)
	for i := 0; i < fields.Len() && i < fieldsShown; i++ {
		names = append(names, fmt.Sprintf("%q:..", fields.Get(i).JSONName()))
	}
	if fields.Len() > fieldsShown {
		names = append(names, "..")
	}
	return "an object {" + strings.Join(names, ",") + "}"
}

// enumExpectation lists an enum's names. The zero value is left out when it is the conventional
// *_UNSPECIFIED: protojson reads it, but it is never a meaningful choice to offer.
func enumExpectation(ed protoreflect.EnumDescriptor) string {
	if ed.FullName() == "google.protobuf.NullValue" {
		return "null"
	}
	values := ed.Values()
	names := make([]string, 0, values.Len())
	for i := 0; i < values.Len(); i++ {
		v := values.Get(i)
		if v.Number() == 0 && strings.HasSuffix(string(v.Name()), "_UNSPECIFIED") {
			continue
		}
		names = append(names, strconv.Quote(string(v.Name())))
	}
	return "one of " + strings.Join(names, ", ")
}

// isWrapper reports whether md is one of google.protobuf's wrappers (StringValue, Int32Value, ...), whose
// JSON form is the bare value.
func isWrapper(md protoreflect.MessageDescriptor) bool {
	name := string(md.FullName())
	return strings.HasPrefix(name, "google.protobuf.") && strings.HasSuffix(name, "Value") &&
		name != "google.protobuf.Value" && name != "google.protobuf.ListValue"
}

// scalarForm reports whether a message is written as one JSON scalar rather than an object.
func scalarForm(md protoreflect.MessageDescriptor) bool {
	switch md.FullName() {
	case "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask":
		return true
	}
	return isWrapper(md)
}

// numberLiteral is JSON's number grammar; protojson reads a quoted number by the same grammar.
var numberLiteral = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// checkScalar returns what is wrong with tok as one value of fd, whose JSON form is a scalar, or "".
func checkScalar(fd protoreflect.FieldDescriptor, tok json.Token) string {
	if fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind {
		return checkScalarMessage(fd.Message(), tok)
	}
	want := "expected " + expectation(fd)
	switch fd.Kind() {
	case protoreflect.BoolKind:
		if _, ok := tok.(bool); !ok {
			return want
		}
	case protoreflect.StringKind, protoreflect.BytesKind:
		s, ok := tok.(string)
		if !ok || fd.Kind() == protoreflect.BytesKind && !isBase64(s) {
			return want
		}
	case protoreflect.EnumKind:
		return checkEnum(fd.Enum(), tok, want)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return checkFloat(fd.Kind(), tok, want)
	default:
		return checkInteger(fd.Kind(), tok, want)
	}
	return ""
}

func checkEnum(ed protoreflect.EnumDescriptor, tok json.Token, want string) string {
	switch v := tok.(type) {
	case string:
		if ed.Values().ByName(protoreflect.Name(v)) != nil {
			return ""
		}
	case json.Number:
		// Proto3 enums are open: protojson reads any 32-bit number.
		if _, err := strconv.ParseInt(string(v), 10, 32); err == nil {
			return ""
		}
	}
	return want
}

func checkFloat(kind protoreflect.Kind, tok json.Token, want string) string {
	var text string
	switch v := tok.(type) {
	case json.Number:
		text = string(v)
	case string:
		if v == "NaN" || v == "Infinity" || v == "-Infinity" {
			return ""
		}
		text = v
	default:
		return want
	}
	if !numberLiteral.MatchString(text) {
		return want
	}
	bits := 64
	if kind == protoreflect.FloatKind {
		bits = 32
	}
	if _, err := strconv.ParseFloat(text, bits); err != nil {
		return want + " within the range of a " + strconv.Itoa(bits) + "-bit float"
	}
	return ""
}

// integerRange returns the bounds of each integer kind, for the message about a number out of range.
func integerRange(kind protoreflect.Kind) (lo, hi float64, loText, hiText string) {
	switch kind {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return math.MinInt32, math.MaxInt32, "-2147483648", "2147483647"
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return 0, math.MaxUint32, "0", "4294967295"
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return 0, math.MaxUint64, "0", "18446744073709551615"
	}
	return math.MinInt64, math.MaxInt64, "-9223372036854775808", "9223372036854775807"
}

// checkInteger accepts what protojson accepts: a JSON number, or a string holding one, whose value is a
// whole number within the kind's range ("2.0" and "1e3" included).
func checkInteger(kind protoreflect.Kind, tok json.Token, want string) string {
	var text string
	switch v := tok.(type) {
	case json.Number:
		text = string(v)
	case string:
		text = v
	default:
		return want
	}
	if !numberLiteral.MatchString(text) {
		return want
	}
	lo, hi, loText, hiText := integerRange(kind)
	noun := "an integer"
	if lo == 0 {
		noun = "a whole number"
	}
	inRange := fmt.Sprintf("expected %s from %s to %s", noun, loText, hiText)
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		if float64(i) < lo || float64(i) > hi {
			return inRange
		}
		return ""
	}
	if u, err := strconv.ParseUint(text, 10, 64); err == nil {
		if float64(u) > hi {
			return inRange
		}
		return ""
	}
	f, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil || f < lo || f > hi:
		return inRange
	case f != math.Trunc(f):
		return "expected " + noun + ", not a fraction"
	}
	return ""
}

// checkScalarMessage checks a well-known type written as a scalar.
func checkScalarMessage(md protoreflect.MessageDescriptor, tok json.Token) string {
	if isWrapper(md) {
		return checkScalar(md.Fields().ByName("value"), tok)
	}
	want := "expected " + messageExpectation(md)
	s, ok := tok.(string)
	if !ok {
		return want
	}
	switch md.FullName() {
	case "google.protobuf.Timestamp":
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || t.Year() < 1 || t.Year() > 9999 {
			return want + ", between the years 1 and 9999"
		}
	case "google.protobuf.Duration":
		if !durationLiteral.MatchString(s) {
			return want
		}
	case "google.protobuf.FieldMask":
		if strings.Contains(s, "_") {
			return want
		}
	}
	return ""
}

// durationLiteral is protojson's form of a Duration: seconds with up to nine decimals and an s.
var durationLiteral = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,9})?s$`)

// isBase64 accepts standard or URL-safe base64, padded or not, as protojson does.
func isBase64(s string) bool {
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
	}
	_, err := enc.DecodeString(s)
	return err == nil
}
