package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"

	"github.com/partnerskap/partnerskap/gateway/openapi"
)

// TestOpenAPIDocumentIsValidAndComplete validates the merged document the gateway serves (as OpenAPI 2.0 and
// converted to 3.0) and checks that it lists every REST route of every RPC.
func TestOpenAPIDocumentIsValidAndComplete(t *testing.T) {
	var doc openapi2.T
	if err := json.Unmarshal(openapi.Document, &doc); err != nil {
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
