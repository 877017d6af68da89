// Command openapi3 writes the OpenAPI 3 document the gateway serves at /openapi.json. protoc-gen-openapiv2
// writes only OpenAPI 2.0 (served at /openapi.v2.json for the tools that read nothing else), and it cannot
// know what the services do beyond the protos' HTTP rules. So this converts that document and adds what a
// client needs to rely on it, from the protos' own declarations and the API's conventions:
//
//   - bearer JWTs as an http/bearer security scheme;
//   - who may call each operation (the partnerskap.auth.v1.access option), as x-roles and in its description;
//   - the success status (201 for an RPC that creates: Create..., Add...), with X-Request-Id, and ETag when
//     the answer is a resource with an etag;
//   - the errors every operation may answer, each with the google.rpc.Status body, and Retry-After on 429/503;
//   - the headers it reads: Idempotency-Key on every write, If-Match where the request carries an etag,
//     X-Request-Id on all;
//   - the real media types of the routes that answer CSV, XML or SIE rather than JSON.
//
// `make generate` runs it after buf; CI fails when the checked-in document differs from what it writes.
//
//	go run ./tools/openapi3 -in gateway/openapi/partnerskap.swagger.json -out gateway/openapi/partnerskap.openapi.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/partnerskap/partnerskap/platform/interceptor"

	// Register every service's descriptors, for the roles and the request messages.
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/audit/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/notification/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"
)

func main() {
	in := flag.String("in", "gateway/openapi/partnerskap.swagger.json", "the OpenAPI 2.0 document buf generates")
	out := flag.String("out", "gateway/openapi/partnerskap.openapi.json", "where to write the OpenAPI 3 document")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi3:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	doc, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	if err := keepRefSiblings(doc, raw); err != nil {
		return err
	}
	if err := enrich(doc); err != nil {
		return err
	}
	// The references added above name components; resolve them so that validation checks they exist.
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		return fmt.Errorf("resolve references: %w", err)
	}
	// The file routes' answers are described by their media types now, not by google.api.HttpBody, and error
	// details by their own schemas, not by google.protobuf.Any: neither is referred to any more.
	delete(doc.Components.Schemas, "HttpBody")
	delete(doc.Components.Schemas, "Any")
	if err := doc.Validate(context.Background()); err != nil {
		return fmt.Errorf("the document is not valid OpenAPI 3: %w", err)
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(body, '\n'), 0o644)
}

// keepRefSiblings puts back what OpenAPI 3.0 would ignore beside a $ref and the conversion drops: a property
// that refers to another schema keeps its description and its readOnly (an output-only field, which a typed
// client must not ask for in a request), by wrapping the reference in allOf.
func keepRefSiblings(doc *openapi3.T, v2 []byte) error {
	var raw struct {
		Definitions map[string]struct {
			Properties map[string]map[string]any `json:"properties"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(v2, &raw); err != nil {
		return err
	}
	for name, def := range raw.Definitions {
		schema := doc.Components.Schemas[name]
		if schema == nil || schema.Value == nil {
			continue
		}
		for prop, fields := range def.Properties {
			ref, isRef := fields["$ref"].(string)
			if !isRef || len(fields) == 1 || schema.Value.Properties[prop] == nil {
				continue
			}
			wrapped := &openapi3.Schema{AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef(strings.Replace(ref, "#/definitions/", "#/components/schemas/", 1), nil)}}
			wrapped.Description, _ = fields["description"].(string)
			wrapped.Title, _ = fields["title"].(string)
			wrapped.ReadOnly, _ = fields["readOnly"].(bool)
			schema.Value.Properties[prop] = openapi3.NewSchemaRef("", wrapped)
		}
	}
	return nil
}

// The reusable parts every operation refers to.
const (
	statusSchema = "#/components/schemas/Status"
	bearer       = "bearer"
)

// errorAnswers are the errors any operation may give, by HTTP status, with what each means here.
var errorAnswers = map[string]string{
	"400": "The request is invalid (BadRequest names each field and why) or breaks a programme rule (PreconditionFailure).",
	"401": "No valid bearer token: missing, malformed, expired, or not signed by a trusted issuer.",
	"403": "The token's role may not call this operation (ROLE_NOT_ALLOWED), or may not do this to this resource.",
	"404": "No such resource, or one the caller may not see: both answer the same.",
	"409": "The etag is stale (ETAG_MISMATCH), or the Idempotency-Key was used with another request.",
	"429": "Too many requests from this caller or address (RATE_LIMITED); wait Retry-After seconds.",
	"503": "A service or its database is unavailable for now; retry after Retry-After seconds.",
	"504": "A service did not answer in time.",
	"413": "The body is larger than the gateway accepts (MAX_BODY_BYTES).",
}

// typedDetails describes the details an error carries, so a client can read them without knowing
// google.rpc's protos: ErrorInfo (its reason), BadRequest (each field and why), PreconditionFailure (each
// rule broken) and RetryInfo (when to try again).
func typedDetails(doc *openapi3.T) {
	str := func() *openapi3.SchemaRef { return openapi3.NewStringSchema().NewRef() }
	detail := func(typeName, description string, props openapi3.Schemas) *openapi3.SchemaRef {
		props["@type"] = openapi3.NewStringSchema().WithEnum("type.googleapis.com/" + typeName).NewRef()
		schema := openapi3.NewObjectSchema().WithProperties(schemaValues(props)).WithRequired([]string{"@type"})
		schema.Description = description
		return schema.NewRef()
	}
	list := func(item openapi3.Schemas) *openapi3.SchemaRef {
		return openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema().WithProperties(schemaValues(item))).NewRef()
	}
	doc.Components.Schemas["ErrorInfo"] = detail("google.rpc.ErrorInfo", "Why the call failed, as a reason a program can test (e.g. ETAG_MISMATCH).",
		openapi3.Schemas{"reason": str(), "domain": str(), "metadata": openapi3.NewObjectSchema().WithAdditionalProperties(openapi3.NewStringSchema()).NewRef()})
	doc.Components.Schemas["BadRequest"] = detail("google.rpc.BadRequest", "Each field of the request that is wrong, and why.",
		openapi3.Schemas{"fieldViolations": list(openapi3.Schemas{"field": str(), "description": str()})})
	doc.Components.Schemas["PreconditionFailure"] = detail("google.rpc.PreconditionFailure", "Each programme rule the request breaks.",
		openapi3.Schemas{"violations": list(openapi3.Schemas{"type": str(), "subject": str(), "description": str()})})
	doc.Components.Schemas["RetryInfo"] = detail("google.rpc.RetryInfo", "How long to wait before trying again.",
		openapi3.Schemas{"retryDelay": str()})
	status := doc.Components.Schemas["Status"].Value
	status.Description = "An error: the gRPC code, a message for people, and details for programs."
	status.Properties["details"] = openapi3.NewArraySchema().WithItems(&openapi3.Schema{OneOf: openapi3.SchemaRefs{
		openapi3.NewSchemaRef("#/components/schemas/ErrorInfo", nil), openapi3.NewSchemaRef("#/components/schemas/BadRequest", nil),
		openapi3.NewSchemaRef("#/components/schemas/PreconditionFailure", nil), openapi3.NewSchemaRef("#/components/schemas/RetryInfo", nil),
	}}).NewRef()
}

func schemaValues(refs openapi3.Schemas) map[string]*openapi3.Schema {
	out := make(map[string]*openapi3.Schema, len(refs))
	for name, ref := range refs {
		out[name] = ref.Value
	}
	return out
}

// errorName names the shared response of an error status in components.responses.
func errorName(code string) string { return "Error" + code }

// examples are the README's first steps, shown at the top of the reference page (/docs).
const examples = `

## First steps

With ` + "`make run`" + ` the gateway listens on http://127.0.0.1:8080 and prints an admin token; ` + "`make token ROLE=<role> [ORG=<organization id>]`" + ` prints others.

` + "```sh" + `
TOKEN=$(make token ROLE=admin)
curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/partnerships
curl -H "Authorization: Bearer $(make token ROLE=member ORG=<organization id>)" http://127.0.0.1:8080/v1/partnerships

# A create: retried safely with the same Idempotency-Key; answers 201 with an ETag.
curl -X POST -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: 7f1c2a" -H "Content-Type: application/json" \
  -d '{"swedishOrganizationId":"<id>","internationalOrganizationId":"<id>","title":"Youth and the environment","coreAreas":["CORE_AREA_PARTICIPATION"]}' \
  http://127.0.0.1:8080/v1/partnerships

# An update changes what the body sets (or what update_mask names), if the ETag still matches.
curl -X PATCH -H "Authorization: Bearer $TOKEN" -H 'If-Match: "1"' -H "Content-Type: application/json" \
  -d '{"title":"Young people and the environment"}' http://127.0.0.1:8080/v1/partnerships/<id>
` + "```" + `

Errors are ` + "`google.rpc.Status`" + ` bodies: ` + "`details`" + ` holds an ErrorInfo with a reason a program can test, and a BadRequest naming each wrong field (spelled as the request spelled it, lowerCamelCase or snake_case) or a PreconditionFailure naming each rule broken. Dates may be written ` + "`\"2025-03-01\"`" + ` or ` + "`{\"year\":2025,\"month\":3,\"day\":1}`" + `. Every list takes ` + "`pageSize`" + ` (default 50, at most 500) and ` + "`pageToken`" + `, and answers ` + "`nextPageToken`" + `, empty on the last page.`

func enrich(doc *openapi3.T) error {
	doc.Info.Description = strings.TrimSpace(doc.Info.Description) + examples
	// Relative to where the document was fetched: the gateway serves it beside the API.
	doc.Servers = openapi3.Servers{{URL: "/", Description: "the gateway that serves this document"}}
	if doc.Info.License != nil && doc.Info.License.Name == "Apache-2.0" && doc.Info.License.URL == "" {
		doc.Info.License.URL = "https://www.apache.org/licenses/LICENSE-2.0"
	}
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{bearer: &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer", BearerFormat: "JWT",
		Description: "A JWT from the programme's OpenID Connect issuer (in development, `make token ROLE=...`).",
	}}}
	doc.Security = openapi3.SecurityRequirements{{bearer: []string{}}}
	if doc.Components.Schemas[strings.TrimPrefix(statusSchema, "#/components/schemas/")] == nil {
		return fmt.Errorf("the document has no %s schema", statusSchema)
	}
	typedDetails(doc)
	doc.Components.Headers = openapi3.Headers{
		"ETag":         header("The resource's version; send it back in If-Match (or the body's etag) to change it."),
		"X-Request-Id": header("The request's id, as sent or made up; every log line and audit record of the request carries it."),
		"Retry-After":  header("Seconds to wait before trying again."),
	}
	doc.Components.Responses = openapi3.ResponseBodies{}
	for code, why := range errorAnswers {
		r := openapi3.NewResponse().WithDescription(why).WithJSONSchemaRef(openapi3.NewSchemaRef(statusSchema, nil))
		r.Headers = openapi3.Headers{"X-Request-Id": {Ref: "#/components/headers/X-Request-Id"}}
		if code == "429" || code == "503" {
			r.Headers["Retry-After"] = &openapi3.HeaderRef{Ref: "#/components/headers/Retry-After"}
		}
		doc.Components.Responses[errorName(code)] = &openapi3.ResponseRef{Value: r}
	}
	doc.Components.Parameters = openapi3.ParametersMap{
		"Idempotency-Key": headerParam("Idempotency-Key", "Any string up to 255 characters. A retry with the same key gets the first answer instead of doing the change again; the same key with another request answers 409."),
		"If-Match":        headerParam("If-Match", "The etag the change is based on (ETag of the last read); a stale one answers 409 ETAG_MISMATCH."),
		"X-Request-Id":    headerParam("X-Request-Id", "The caller's own id for the request, echoed in the answer and the logs."),
	}

	fileRoutes(doc)
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, path := range keys {
		for verb, op := range paths[path].Operations() {
			if err := enrichOperation(doc, path, verb, op); err != nil {
				return fmt.Errorf("%s %s: %w", verb, path, err)
			}
		}
	}
	return nil
}

func enrichOperation(doc *openapi3.T, path, verb string, op *openapi3.Operation) error {
	method, err := methodOf(op.OperationID)
	if err != nil {
		return err
	}
	roles, err := interceptor.DeclaredRoles(string(method.Parent().FullName()), string(method.Name()))
	if err != nil || len(roles) == 0 {
		return fmt.Errorf("%s declares no roles", method.FullName())
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	op.Extensions = map[string]any{"x-roles": names}
	op.Description = strings.TrimSpace(op.Description + "\n\nRoles: " + strings.Join(names, ", ") + ".")

	// The success answer: its status, headers, and media type.
	success := op.Responses.Value("200")
	if success == nil {
		return fmt.Errorf("no 200 answer to start from")
	}
	op.Responses.Delete("200")
	status := "200"
	if name := string(method.Name()); strings.HasPrefix(name, "Create") || strings.HasPrefix(name, "Add") || strings.HasPrefix(name, "Upload") {
		status = "201"
		success.Value.Description = ptr("Created.")
	}
	success.Value.Headers = openapi3.Headers{"X-Request-Id": {Ref: "#/components/headers/X-Request-Id"}}
	if method.Output().Fields().ByName("etag") != nil {
		success.Value.Headers["ETag"] = &openapi3.HeaderRef{Ref: "#/components/headers/ETag"}
	}
	if types := mediaTypes(path); types != nil {
		content := openapi3.Content{}
		for _, t := range types {
			content[t] = openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema().WithFormat("binary"))
		}
		success.Value.Content = content
	}
	op.Responses.Set(status, success)

	// The errors, all with the Status body.
	op.Responses.Delete("default")
	for code := range errorAnswers {
		if (code == "409" && verb == "GET") || (code == "413" && op.RequestBody == nil) {
			continue
		}
		op.Responses.Set(code, &openapi3.ResponseRef{Ref: "#/components/responses/" + errorName(code)})
	}

	if verb == "PATCH" {
		partialBody(doc, op)
	}

	// The headers it reads.
	op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/X-Request-Id"})
	if verb != "GET" {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/Idempotency-Key"})
	}
	if status != "201" && carriesEtag(method.Input()) {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/If-Match"})
	}
	return nil
}

// partialBody lets an update's body leave out what a create requires: an update changes only the fields it
// names or sends (AIP-134), so its body is the resource's schema without required fields, as <Name>Patch.
func partialBody(doc *openapi3.T, op *openapi3.Operation) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return
	}
	media := op.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || !strings.HasPrefix(media.Schema.Ref, "#/components/schemas/") {
		return
	}
	name := strings.TrimPrefix(media.Schema.Ref, "#/components/schemas/")
	full := doc.Components.Schemas[name]
	if full == nil || full.Value == nil || len(full.Value.Required) == 0 {
		return
	}
	partial := *full.Value
	partial.Required = nil
	partial.Description = strings.TrimSpace(partial.Description + "\n\nIn an update, every field may be left out: only the fields in update_mask, or those the body sets, change.")
	doc.Components.Schemas[name+"Patch"] = openapi3.NewSchemaRef("", &partial)
	media.Schema = openapi3.NewSchemaRef("#/components/schemas/"+name+"Patch", nil)
}

// methodOf finds the RPC behind an operation id ("PartnershipService_GetPartnership").
func methodOf(operationID string) (protoreflect.MethodDescriptor, error) {
	service, name, ok := strings.Cut(operationID, "_")
	if !ok {
		return nil, fmt.Errorf("operation id %q is not Service_Method", operationID)
	}
	var found protoreflect.MethodDescriptor
	protoregistry.GlobalFiles.RangeFiles(func(f protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(f.Package()), "partnerskap.") {
			return true
		}
		for i := range f.Services().Len() {
			s := f.Services().Get(i)
			if string(s.Name()) == service {
				if m := s.Methods().ByName(protoreflect.Name(name)); m != nil {
					found = m
					return false
				}
			}
		}
		return true
	})
	if found == nil {
		return nil, fmt.Errorf("no RPC %s", operationID)
	}
	return found, nil
}

// carriesEtag reports whether a request message has an etag, itself or in the resource it carries.
func carriesEtag(m protoreflect.MessageDescriptor) bool {
	if m.Fields().ByName("etag") != nil {
		return true
	}
	for i := range m.Fields().Len() {
		f := m.Fields().Get(i)
		if f.Kind() == protoreflect.MessageKind && !f.IsList() && !f.IsMap() && f.Message().Fields().ByName("etag") != nil &&
			strings.HasPrefix(string(f.Message().FullName()), "partnerskap.") {
			return true
		}
	}
	return false
}

// fileRoutes adds the two document routes the gateway serves itself, streaming the file rather than JSON
// (gateway/internal/docstream): they have no google.api.http rule, so the generator knows nothing of them.
func fileRoutes(doc *openapi3.T) {
	anyFile := func(why string) openapi3.Content {
		schema := openapi3.NewStringSchema().WithFormat("binary")
		schema.Description = why
		return openapi3.Content{"*/*": openapi3.NewMediaType().WithSchema(schema)}
	}
	query := func(name, why string, required bool, schema *openapi3.Schema) *openapi3.ParameterRef {
		p := openapi3.NewQueryParameter(name).WithDescription(why).WithSchema(schema)
		p.Required = required
		return &openapi3.ParameterRef{Value: p}
	}
	kinds := openapi3.NewStringSchema()
	for _, k := range []string{"DOCUMENT_KIND_RECEIPT", "DOCUMENT_KIND_REPORT_ATTACHMENT", "DOCUMENT_KIND_DECISION", "DOCUMENT_KIND_AGREEMENT"} {
		kinds.Enum = append(kinds.Enum, k)
	}
	document := openapi3.NewResponse().WithDescription("The document's record.").WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Document", nil))
	upload := &openapi3.Operation{
		OperationID: "DocumentService_UploadDocument",
		Summary:     "Stores a file for a partnership",
		Description: "The body is the file itself, streamed to the partnership service. Its type is read from its first bytes, never from Content-Type: PDF, JPEG, PNG and office documents are kept, anything else is refused (400). A file over the limit (20 MiB by default) answers 413. A claim line's receipt names the record's `id` and `sha256`.",
		Tags:        []string{"DocumentService"},
		Parameters: openapi3.Parameters{
			query("partnershipId", "The partnership the document belongs to.", true, openapi3.NewStringSchema()),
			query("kind", "What the document is.", true, kinds),
			query("fileName", "The file's name; Content-Disposition's filename when left out.", false, openapi3.NewStringSchema()),
			query("reportId", "The report a report attachment belongs to.", false, openapi3.NewStringSchema()),
			query("personEmail", "The person the document is about, if any (a ticket in a traveller's name): erasing that person (POST /v1/people:erase) erases the document.", false, openapi3.NewStringSchema().WithFormat("email")),
		},
		RequestBody: &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithContent(anyFile("The file."))},
		Responses:   openapi3.NewResponses(openapi3.WithStatus(200, &openapi3.ResponseRef{Value: document})),
	}
	download := &openapi3.Operation{
		OperationID: "DocumentService_DownloadDocument",
		Summary:     "Sends a document's bytes",
		Description: "The file, streamed from the partnership service, with its own Content-Type, its size as Content-Length and its name in Content-Disposition.",
		Tags:        []string{"DocumentService"},
		Parameters:  openapi3.Parameters{{Value: openapi3.NewPathParameter("id").WithDescription("The document.").WithSchema(openapi3.NewStringSchema())}},
		Responses: openapi3.NewResponses(openapi3.WithStatus(200, &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("The file.").WithContent(anyFile("The file, of the document's content type."))})),
	}
	public := *download
	public.OperationID = "DocumentService_DownloadPublicDocument"
	public.Summary = "Sends a published document's bytes, to anyone"
	public.Description = "A document ICLD made public, without a token: what the IATI export links to. Any other document answers 404."
	public.Security = &openapi3.SecurityRequirements{} // no token needed
	doc.Paths.Set("/v1/public/documents/{id}:download", &openapi3.PathItem{Get: &public})
	item := doc.Paths.Value("/v1/documents")
	if item == nil {
		item = &openapi3.PathItem{}
		doc.Paths.Set("/v1/documents", item)
	}
	item.Post = upload
	doc.Paths.Set("/v1/documents/{id}:download", &openapi3.PathItem{Get: download})
}

// mediaTypes are what the routes that answer files send, from the services' HttpBody content types; nil for
// a JSON route.
func mediaTypes(path string) []string {
	switch {
	case path == "/v1/exports/iati":
		return []string{"application/xml"}
	case strings.HasSuffix(path, ":export"):
		return []string{"text/csv; charset=utf-8", "text/plain; charset=IBM437"} // format=csv, format=sie
	case strings.HasSuffix(path, ":csv"):
		return []string{"text/csv; charset=utf-8"}
	case strings.HasSuffix(path, ".ics"):
		return []string{"text/calendar; charset=utf-8"}
	}
	return nil
}

func header(description string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: description, Schema: openapi3.NewStringSchema().NewRef()}}}
}

func headerParam(name, description string) *openapi3.ParameterRef {
	return &openapi3.ParameterRef{Value: openapi3.NewHeaderParameter(name).WithDescription(description).
		WithSchema(openapi3.NewStringSchema())}
}

func ptr[T any](v T) *T { return &v }
