package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/partnerskap/partnerskap/gateway/openapi"
	"github.com/partnerskap/partnerskap/platform/interceptor"
)

// TestOpenAPIDocumentIsValidAndComplete validates the OpenAPI 2.0 document the gateway serves at
// /openapi.v2.json (and converted to 3.0) and checks that it lists every REST route of every RPC.
func TestOpenAPIDocumentIsValidAndComplete(t *testing.T) {
	var doc openapi2.T
	if err := json.Unmarshal(openapi.DocumentV2, &doc); err != nil {
		t.Fatalf("not an OpenAPI 2.0 document: %v", err)
	}
	v3, err := openapi2conv.ToV3(&doc)
	if err != nil {
		t.Fatalf("convert to OpenAPI 3: %v", err)
	}
	if err := v3.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	// The document names path parameters in lowerCamelCase, as the JSON does; compare templates only.
	documented := map[string]*openapi2.PathItem{}
	for path, item := range doc.Paths {
		documented[pathVariable.ReplaceAllString(path, "{}")] = item
	}
	for _, r := range routes(t) {
		item := documented[pathVariable.ReplaceAllString(r.path, "{}")]
		if item == nil || item.GetOperation(strings.ToUpper(r.method)) == nil {
			t.Errorf("%s: %s %s is missing from the OpenAPI document", r.rpc, r.method, r.path)
		}
	}
}

// TestOpenAPI3DocumentIsWhatClientsRelyOn checks the OpenAPI 3 document served at /openapi.json: valid, every
// route of every RPC in it, bearer JWTs as http/bearer security, each operation's roles as the proto declares
// them, 201 for the RPCs that create, the errors with the Status body, the headers, and the real media types
// of the routes that answer files.
func TestOpenAPI3DocumentIsWhatClientsRelyOn(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Document)
	if err != nil {
		t.Fatalf("not an OpenAPI 3 document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI 3 document: %v", err)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Fatalf("bearer security scheme: %+v", s)
	}
	details := doc.Components.Schemas["Status"].Value.Properties["details"].Value.Items.Value.OneOf
	if len(details) != 4 || !strings.HasSuffix(details[1].Ref, "/BadRequest") {
		t.Errorf("the Status details are not typed: %v", details)
	}
	// An output-only field that refers to another schema keeps readOnly (OpenAPI 3.0 ignores siblings of $ref).
	if state := doc.Components.Schemas["Partnership"].Value.Properties["state"]; state == nil || !state.Value.ReadOnly {
		t.Errorf("Partnership.state is not readOnly: %+v", state)
	}
	documented := map[string]*openapi3.PathItem{}
	for path, item := range doc.Paths.Map() {
		documented[pathVariable.ReplaceAllString(path, "{}")] = item
	}
	for _, r := range routes(t) {
		item := documented[pathVariable.ReplaceAllString(r.path, "{}")]
		op := item.GetOperation(strings.ToUpper(r.method))
		if item == nil || op == nil {
			t.Errorf("%s: %s %s is missing", r.rpc, r.method, r.path)
			continue
		}
		service, method := splitRPC(r.rpc)
		roles, _ := interceptor.DeclaredRoles(service, method)
		var want []string
		for _, role := range roles {
			want = append(want, string(role))
		}
		if got, _ := json.Marshal(op.Extensions["x-roles"]); string(got) != mustJSON(t, want) || !strings.Contains(op.Description, "Roles: ") {
			t.Errorf("%s: x-roles %s, want %s", r.rpc, got, mustJSON(t, want))
		}
		success := "200"
		if strings.HasPrefix(method, "Create") || strings.HasPrefix(method, "Add") {
			success = "201"
		}
		if op.Responses.Value(success) == nil || op.Responses.Value(success).Value.Headers["X-Request-Id"] == nil {
			t.Errorf("%s: no %s answer with its X-Request-Id header", r.rpc, success)
		}
		for _, code := range []string{"400", "401", "403", "404", "429", "503"} {
			resp := op.Responses.Value(code)
			if resp == nil || resp.Value.Content.Get("application/json") == nil ||
				!strings.HasSuffix(resp.Value.Content.Get("application/json").Schema.Ref, "/Status") {
				t.Errorf("%s: no %s answer with the Status body", r.rpc, code)
			}
		}
		if r.method != http.MethodGet && !hasParameter(op, "Idempotency-Key") {
			t.Errorf("%s: a write without the Idempotency-Key header", r.rpc)
		}
		if r.method == http.MethodPatch && !hasParameter(op, "If-Match") {
			t.Errorf("%s: an update without the If-Match header", r.rpc)
		}
	}
	for path, media := range map[string]string{"/v1/exports/iati": "application/xml", "/v1/reports/portfolio:csv": "text/csv; charset=utf-8",
		"/v1/payment-batches/{id}:export": "text/plain; charset=IBM437"} {
		ok := doc.Paths.Value(path).Get.Responses.Value("200").Value.Content.Get(media)
		if ok == nil {
			t.Errorf("GET %s does not declare %s", path, media)
		}
	}
}

func hasParameter(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.Name == name {
			return true
		}
	}
	return false
}

func splitRPC(full string) (service, method string) {
	i := strings.LastIndex(full, ".")
	return full[:i], full[i+1:]
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
