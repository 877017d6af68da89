package codec

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// QueryParser reads query parameters exactly as grpc-gateway's default parser does; when that parser
// refuses them, its error (strconv's or protojson's words, proto field names) is replaced by one naming the
// parameter as the client wrote it and what it expects, such as `query parameter "page_size": expected an
// integer`. Install it with runtime.SetQueryParameterParser.
type QueryParser struct {
	runtime.DefaultQueryParser
}

// Parse implements runtime.QueryParameterParser.
func (q *QueryParser) Parse(msg proto.Message, values url.Values, filter *utilities.DoubleArray) error {
	if err := q.DefaultQueryParser.Parse(msg, values, filter); err != nil {
		return errors.New(explainQuery(msg, values, filter))
	}
	return nil
}

// explainQuery finds the first parameter, in alphabetical order, that the default parser cannot read;
// filter holds the fields bound from the path, which the parser skips.
func explainQuery(msg proto.Message, values url.Values, filter *utilities.DoubleArray) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	named := map[string]string{}                 // field path -> the parameter that set it
	oneofs := map[protoreflect.FullName]string{} // oneof -> the parameter that chose it
	for _, key := range keys {
		fd, path := resolve(msg.ProtoReflect().Descriptor(), key)
		if fd == nil || filter != nil && filter.HasCommonPrefix(strings.Split(path, ".")) {
			continue // the default parser ignores what names no field or one bound from the path, and so does this
		}
		if other, dup := named[path]; dup {
			return fmt.Sprintf("query parameters %q and %q name the same field; give one", other, key)
		}
		named[path] = key
		if of := fd.ContainingOneof(); of != nil && !of.IsSynthetic() {
			if other, set := oneofs[of.FullName()]; set {
				return fmt.Sprintf("query parameters %q and %q exclude each other; give only one", other, key)
			}
			oneofs[of.FullName()] = key
		}
		if n := len(values[key]); n > 1 && !fd.IsList() {
			return fmt.Sprintf("query parameter %q is given %d times; give it once", key, n)
		}
		for _, v := range values[key] {
			// The default parser's own reading of one value decides; only the words are this package's.
			if runtime.PopulateFieldFromPath(msg.ProtoReflect().New().Interface(), key, v) != nil {
				return fmt.Sprintf("query parameter %q: expected %s", key, queryExpectation(fd, key))
			}
		}
	}
	return "the query parameters do not fit this route; its parameters are in /openapi.json"
}

// resolve finds the field a parameter names (dot-separated, each part by proto or JSON name), and its path
// in proto names; nil when it names none.
func resolve(md protoreflect.MessageDescriptor, key string) (protoreflect.FieldDescriptor, string) {
	var fd protoreflect.FieldDescriptor
	var path []string
	for i, part := range strings.Split(key, ".") {
		if i > 0 {
			if fd.Message() == nil || fd.IsList() || fd.IsMap() {
				return nil, ""
			}
			md = fd.Message()
		}
		fd = md.Fields().ByTextName(part)
		if fd == nil {
			fd = md.Fields().ByJSONName(part)
		}
		if fd == nil {
			return nil, ""
		}
		path = append(path, string(fd.Name()))
	}
	return fd, strings.Join(path, ".")
}

// queryExpectation describes one query value of fd. A query value is text, so a message other than the
// well-known scalar types is given part by part.
func queryExpectation(fd protoreflect.FieldDescriptor, key string) string {
	md := fd.Message()
	switch {
	case md == nil:
		return expectation(fd)
	case md.FullName() == "google.protobuf.Duration":
		return `a duration such as "90s" or "1h30m"`
	case md.FullName() == "google.protobuf.FieldMask":
		return `field names separated by commas, such as "title,core_areas"`
	case scalarForm(md):
		return expectation(fd)
	}
	parts := make([]string, 0, md.Fields().Len())
	for i := 0; i < md.Fields().Len(); i++ {
		parts = append(parts, fmt.Sprintf("%q", key+"."+string(md.Fields().Get(i).Name())))
	}
	return "its parts as separate parameters: " + strings.Join(parts, ", ")
}
