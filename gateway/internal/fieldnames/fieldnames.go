// Package fieldnames names the fields of a service's refusal the way the REST client wrote them.
//
// A service names a bad field by its proto path ("visit.start_date", "claim.lines[2].receipt_sha256"), which
// is what a gRPC client writes. A REST client writes JSON: lowerCamelCase, as the OpenAPI document names
// fields, or snake_case, which protojson accepts too. So the gateway renames each field violation, segment by
// segment: a field the request's body or query gave is named as it was written there; one it did not give
// (a required field left out) is named in the spelling the request used for its other fields, lowerCamelCase
// when it used none; a path parameter keeps the name in the route's template, which is how the OpenAPI
// document names it.
package fieldnames

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
)

// maxRecorded is the most of a body kept to read names from; past it the request's spelling is guessed from
// what was kept. Bodies of the API are far smaller; the limit only keeps a large upload from being held twice.
const maxRecorded = 1 << 20

type key struct{}

// recording keeps the first maxRecorded bytes read from a request body.
type recording struct {
	body io.ReadCloser
	kept bytes.Buffer
}

func (r *recording) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	if room := maxRecorded - r.kept.Len(); room > 0 {
		r.kept.Write(p[:min(n, room)])
	}
	return n, err
}

func (r *recording) Close() error { return r.body.Close() }

// Middleware keeps a copy of each JSON request body as it is read, for Rename.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody && isJSON(r.Header.Get("Content-Type")) {
			rec := &recording{body: r.Body}
			r = r.WithContext(context.WithValue(r.Context(), key{}, rec))
			r.Body = rec
		}
		next.ServeHTTP(w, r)
	})
}

// isJSON reports whether a request body of this content type is JSON; the gateway reads a body without one as
// JSON too.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// Rename returns st with the fields of its BadRequest details named as the request r wrote them; pattern
// is the route's path template ("/v1/partnerships/{partnership_id}/visits"). A message that lists the
// violations, as a service's "invalid input: field: rule; ..." does, is rewritten to match.
func Rename(st *status.Status, r *http.Request, pattern string) *status.Status {
	p := st.Proto()
	var w *written
	changed := false
	for i, d := range p.GetDetails() {
		var br errdetails.BadRequest
		if d.UnmarshalTo(&br) != nil || len(br.GetFieldViolations()) == 0 {
			continue
		}
		if w == nil {
			w = readRequest(r, pattern)
		}
		var before, after []string
		for _, v := range br.GetFieldViolations() {
			before = append(before, v.GetField()+": "+v.GetDescription())
			v.Field = w.name(v.GetField())
			after = append(after, v.GetField()+": "+v.GetDescription())
		}
		a, err := anypb.New(&br)
		if err != nil {
			continue
		}
		p.Details[i], changed = a, true
		if list := strings.Join(before, "; "); strings.HasSuffix(p.GetMessage(), list) {
			p.Message = strings.TrimSuffix(p.GetMessage(), list) + strings.Join(after, "; ")
		}
	}
	if !changed {
		return st
	}
	return status.FromProto(p)
}

// written is what a request gave: its body's JSON (nil when it had none or it could not be read), its query
// parameters as nested objects, its path parameters, and whether it spelled its fields in snake_case.
type written struct {
	body   any
	query  map[string]any
	params map[string]bool
	snake  bool
}

func readRequest(r *http.Request, pattern string) *written {
	w := &written{query: map[string]any{}, params: map[string]bool{}}
	if rec, ok := r.Context().Value(key{}).(*recording); ok {
		if json.Unmarshal(rec.kept.Bytes(), &w.body) != nil {
			w.body = nil
		}
	}
	for k := range r.URL.Query() {
		w.snake = w.snake || strings.Contains(k, "_")
		node := w.query
		parts := strings.Split(k, ".")
		for _, part := range parts[:len(parts)-1] {
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = true
	}
	w.snake = w.snake || hasSnakeKey(w.body)
	for rest := pattern; ; {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			break
		}
		name, _, _ := strings.Cut(rest[open+1:end], "=") // "{name=projects/*}" binds name
		w.params[name] = true
		rest = rest[end+1:]
	}
	return w
}

// hasSnakeKey reports whether any object key in v is written with an underscore.
func hasSnakeKey(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if strings.Contains(k, "_") || hasSnakeKey(child) {
				return true
			}
		}
	case []any:
		for _, child := range v {
			if hasSnakeKey(child) {
				return true
			}
		}
	}
	return false
}

// name renames a proto field path ("lines[2].amount_minor") segment by segment, following the body (or, for
// a request without one, the query) to see how each segment was written.
func (w *written) name(path string) string {
	segments := split(path)
	if len(segments) == 0 {
		return path
	}
	if field, _ := cutIndex(segments[0]); w.params[field] {
		return path // a path parameter: named as in the route's template
	}
	node := w.body
	if node == nil {
		node = w.query
	}
	var out strings.Builder
	for i, seg := range segments {
		field, index := cutIndex(seg)
		spelled := w.spell(node, field)
		if i > 0 {
			out.WriteByte('.')
		}
		out.WriteString(spelled)
		out.WriteString(index)
		if i == 0 && w.body != nil && !has(w.body, field) {
			// The route binds its body to this field (body: "partnership"), so the body is its value.
			node = follow(w.body, index)
			continue
		}
		node = follow(child(node, spelled), index)
	}
	return out.String()
}

// has reports whether the object node gives field, in either spelling.
func has(node any, field string) bool {
	obj, ok := node.(map[string]any)
	if !ok {
		return false
	}
	_, proto := obj[field]
	_, camel := obj[lowerCamel(field)]
	return proto || camel
}

// spell is how the field (a proto name) is written in the object node, or how the request would write it.
func (w *written) spell(node any, field string) string {
	if obj, ok := node.(map[string]any); ok {
		if _, ok := obj[field]; ok {
			return field
		}
	}
	if w.snake && !has(node, field) {
		return field
	}
	return lowerCamel(field)
}

// child is the member name of node, or nil.
func child(node any, name string) any {
	if obj, ok := node.(map[string]any); ok {
		return obj[name]
	}
	return nil
}

// follow applies the index suffix of a segment ("[2]", `["key"]`, or several) to node.
func follow(node any, index string) any {
	for index != "" && node != nil {
		end := strings.IndexByte(index, ']')
		if index[0] != '[' || end < 0 {
			return nil
		}
		inner := index[1:end]
		index = index[end+1:]
		switch n := node.(type) {
		case []any:
			i, err := strconv.Atoi(inner)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		case map[string]any:
			k, err := strconv.Unquote(inner)
			if err != nil {
				k = inner
			}
			node = n[k]
		default:
			return nil
		}
	}
	return node
}

// split cuts a field path at its dots, except those inside brackets (a map key may hold one).
func split(path string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				out = append(out, path[start:i])
				start = i + 1
			}
		}
	}
	return append(out, path[start:])
}

// cutIndex splits "lines[2]" into "lines" and "[2]".
func cutIndex(segment string) (field, index string) {
	if i := strings.IndexByte(segment, '['); i >= 0 {
		return segment[:i], segment[i:]
	}
	return segment, ""
}

// lowerCamel is protoc's JSON name of a proto field name: each underscore dropped and the letter after it
// capitalised ("swedish_organization_id" -> "swedishOrganizationId").
func lowerCamel(name string) string {
	if !strings.Contains(name, "_") {
		return name
	}
	var b strings.Builder
	upper := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_':
			upper = true
		case upper && 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			upper = false
		default:
			b.WriteByte(c)
			upper = false
		}
	}
	return b.String()
}
