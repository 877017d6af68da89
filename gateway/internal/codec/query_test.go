package codec

import (
	"net/url"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

func parseQuery(raw string) error {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil
	}
	return (&QueryParser{}).Parse(&partnershipv1.ListOrganizationsRequest{}, values, utilities.NewDoubleArray(nil))
}

func TestQueryErrorsNameTheParameter(t *testing.T) {
	cases := map[string]string{
		"page_size=abc":           `query parameter "page_size": expected an integer`,
		"pageSize=99999999999":    `query parameter "pageSize": expected an integer`,
		"kind=NOPE":               `query parameter "kind": expected one of "ORGANIZATION_KIND_MUNICIPALITY"`,
		"page_size=1&page_size=2": `query parameter "page_size" is given 2 times; give it once`,
		"page_size=1&pageSize=2":  `query parameters "pageSize" and "page_size" name the same field; give one`,
	}
	for raw, says := range cases {
		if err := parseQuery(raw); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: error %v does not say %q", raw, err, says)
		}
	}
	for _, raw := range []string{"page_size=10&kind=ORGANIZATION_KIND_REGION", "unknown=1", "country_code=SE"} {
		if err := parseQuery(raw); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"page_size=1", "kind=1&kind=x", "a.b.c=1", "page_size[x]=1", "pageSize=1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if err := parseQuery(raw); err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "query parameter") && !strings.HasPrefix(msg, "the query parameters") || strings.Contains(msg, "strconv") {
				t.Fatalf("%q: %v", raw, err)
			}
		}
	})
}
