package fieldnames

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	_ "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"
)

// refusal is a service's INVALID_ARGUMENT naming fields by their proto paths.
func refusal(fields ...string) *status.Status {
	br := &errdetails.BadRequest{}
	var parts []string
	for _, f := range fields {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: f, Description: "is wrong"})
		parts = append(parts, f+": is wrong")
	}
	st, err := status.New(codes.InvalidArgument, "invalid input: "+strings.Join(parts, "; ")).WithDetails(br)
	if err != nil {
		panic(err)
	}
	return st
}

// renamed sends body (JSON, or "" for none) to target through Middleware, reads it as a handler would, and
// renames the fields of a refusal naming fields.
func renamed(t *testing.T, target, pattern, body string, fields ...string) ([]string, string) {
	t.Helper()
	method := http.MethodGet
	var r *http.Request
	if body != "" {
		method = http.MethodPost
	}
	r = httptest.NewRequest(method, target, strings.NewReader(body))
	if body == "" {
		r.Body = http.NoBody
	}
	var got *status.Status
	Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 3) // read in small pieces, as a decoder may
		for {
			if _, err := r.Body.Read(buf); err != nil {
				break
			}
		}
		got = Rename(refusal(fields...), r, pattern)
	})).ServeHTTP(httptest.NewRecorder(), r)
	var names []string
	for _, d := range got.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				names = append(names, v.GetField())
			}
		}
	}
	return names, got.Message()
}

func TestFieldsAreNamedAsTheClientWroteThem(t *testing.T) {
	cases := []struct {
		name, target, pattern, body string
		fields, want                []string
	}{
		{"camelCase body bound to one field", "/v1/partnerships", "/v1/partnerships",
			`{"swedishOrganizationId":"x","coreAreas":[]}`,
			[]string{"partnership.swedish_organization_id", "partnership.core_areas", "partnership.international_organization_id"},
			[]string{"partnership.swedishOrganizationId", "partnership.coreAreas", "partnership.internationalOrganizationId"}},
		{"snake_case body", "/v1/partnerships", "/v1/partnerships",
			`{"swedish_organization_id":"x","title":""}`,
			[]string{"partnership.swedish_organization_id", "partnership.title", "partnership.international_organization_id"},
			[]string{"partnership.swedish_organization_id", "partnership.title", "partnership.international_organization_id"}},
		{"mixed spellings follow the body", "/v1/claims", "/v1/claims",
			`{"budget_id":"b","lines":[{"amount":{"amountMinor":1}},{"amount":{"amount_minor":2},"receipt_sha256":"x"}]}`,
			[]string{"claim.lines[0].amount.amount_minor", "claim.lines[1].amount.amount_minor", "claim.lines[1].receipt_sha256"},
			[]string{"claim.lines[0].amount.amountMinor", "claim.lines[1].amount.amount_minor", "claim.lines[1].receipt_sha256"}},
		{"body of the whole request", "/v1/budgets/b:return", "/v1/budgets/{id}:return",
			`{"etag":"1","updateMask":"x"}`,
			[]string{"update_mask", "reason"},
			[]string{"updateMask", "reason"}},
		{"path parameter keeps the template's name", "/v1/partnerships/x/visits", "/v1/partnerships/{partnership_id}/visits",
			`{"startDate":"2025-01-01"}`,
			[]string{"partnership_id", "visit.start_date", "visit.end_date"},
			[]string{"partnership_id", "visit.startDate", "visit.endDate"}},
		{"query parameters", "/v1/budgets?page_size=900&partnershipId=x", "/v1/budgets",
			"",
			[]string{"page_size", "partnership_id", "page_token"},
			[]string{"page_size", "partnershipId", "page_token"}},
		{"no body and no query", "/v1/ledger/balances", "/v1/ledger/balances",
			"",
			[]string{"account_prefix"},
			[]string{"accountPrefix"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, msg := renamed(t, c.target, c.pattern, c.body, c.fields...)
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("fields %v, want %v", got, c.want)
			}
			if !strings.Contains(msg, c.want[0]+": is wrong") {
				t.Errorf("message %q does not name %s", msg, c.want[0])
			}
		})
	}
}

// A status without field violations passes untouched, and a body that is not JSON leaves the default names.
func TestOtherStatusesPass(t *testing.T) {
	st := status.New(codes.NotFound, "no such partnership")
	r := httptest.NewRequest(http.MethodGet, "/v1/partnerships/x", nil)
	if got := Rename(st, r, "/v1/partnerships/{id}"); got != st {
		t.Errorf("a status without field violations was rewritten: %v", got)
	}
	got, _ := renamed(t, "/v1/partnerships", "/v1/partnerships", `{"title": `, "partnership.core_areas")
	if got[0] != "partnership.coreAreas" {
		t.Errorf("with an unreadable body: %v", got)
	}
}

// lowerCamel must agree with the JSON name protoc gave every field of the API, which is what protojson reads
// and writes and what the OpenAPI document shows.
func TestLowerCamelIsTheJSONNameOfEveryField(t *testing.T) {
	n := 0
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(fd.Package()), "partnerskap.") {
			return true
		}
		var walk func(protoreflect.MessageDescriptors)
		walk = func(ms protoreflect.MessageDescriptors) {
			for i := range ms.Len() {
				m := ms.Get(i)
				for j := range m.Fields().Len() {
					f := m.Fields().Get(j)
					n++
					if got := lowerCamel(string(f.Name())); got != f.JSONName() {
						t.Errorf("%s: lowerCamel gives %q, protoc %q", f.FullName(), got, f.JSONName())
					}
				}
				walk(m.Messages())
			}
		}
		walk(fd.Messages())
		return true
	})
	if n < 100 {
		t.Fatalf("only %d fields checked; the API's protos are not linked", n)
	}
}
