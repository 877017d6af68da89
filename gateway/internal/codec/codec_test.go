package codec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

func decode(body string) (*partnershipv1.Organization, error) {
	var org *partnershipv1.Organization // the generated handlers decode into a pointer field like this
	err := New().NewDecoder(strings.NewReader(body)).Decode(&org)
	return org, err
}

func TestDecodeErrorsSayWhatIsWrong(t *testing.T) {
	cases := map[string]string{
		`{"displayName":`:                        "the request body is not valid JSON: it ends before its value does",
		`{"displayName" 1}`:                      `the request body is not valid JSON: unexpected '1' at line 1, column 16`,
		"{\n  \"kind\": x}":                      `unexpected 'x' at line 2, column 11`,
		`{"colour":"red"}`:                       `unknown field "colour"; the fields are "id", "kind", "displayName"`,
		`{"displayName":42}`:                     `field "displayName": expected a string`,
		`{"display_name":["x"]}`:                 `field "display_name": expected a string`,
		`{"kind":"NOT_A_KIND"}`:                  `field "kind": expected one of "ORGANIZATION_KIND_MUNICIPALITY", `,
		`{"createTime":"yesterday"}`:             `field "createTime": expected an RFC 3339 time such as "2025-03-01T09:30:00Z"`,
		`{"swedish":{"orgNumber":1}}`:            `field "swedish.orgNumber": expected a string`,
		`{"swedish":{"colour":1}}`:               `unknown field "swedish.colour"; the fields of "swedish" are "orgNumber"`,
		`{"swedish":"x"}`:                        `field "swedish": expected an object {"orgNumber":..,`,
		`{"swedish":{},"international":{}}`:      `fields "swedish" and "international" exclude each other; give only one`,
		`{"displayName":"a","display_name":"b"}`: `fields "displayName" and "display_name" are one field in two spellings`,
		`[]`:                                     `the request body must be a JSON object {"id":..,"kind":..`,
		`null`:                                   `the request body must be a JSON object`,
	}
	for body, says := range cases {
		_, err := decode(body)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: error %v does not say %q", body, err, says)
		}
		if err != nil && (strings.Contains(err.Error(), "proto") || strings.Contains(err.Error(), "partnerskap.")) {
			t.Errorf("%s: error %q names proto internals", body, err)
		}
	}
}

func TestDecodeErrorsOfNestedAndRepeatedFields(t *testing.T) {
	cases := map[string]string{
		`{"startDate":"2025-02-30"}`:                  `field "startDate": expected a date, "YYYY-MM-DD" or {"year":..,"month":..,"day":..}`,
		`{"startDate":{"year":"twenty"}}`:             `field "startDate.year": expected an integer`,
		`{"startDate":{"year":1.5}}`:                  `field "startDate.year": expected an integer, not a fraction`,
		`{"startDate":{"year":99999999999}}`:          `field "startDate.year": expected an integer from -2147483648 to 2147483647`,
		`{"travellers":{}}`:                           `field "travellers": expected an array, each item an object {"organizationId":..,"count":..}`,
		`{"travellers":[{"count":1},{"count":true}]}`: `field "travellers[1].count": expected an integer`,
		`{"travellers":[null]}`:                       `field "travellers[0]": expected an object`,
	}
	for body, says := range cases {
		var visit *partnershipv1.Visit
		err := New().NewDecoder(strings.NewReader(body)).Decode(&visit)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: error %v does not say %q", body, err, says)
		}
	}
	var p *partnershipv1.Partnership
	err := New().NewDecoder(strings.NewReader(`{"coreAreas":["CORE_AREA_PARTICIPATION","WATER"]}`)).Decode(&p)
	if err == nil || !strings.HasPrefix(err.Error(), `field "coreAreas[1]": expected one of "CORE_AREA_`) || strings.Contains(err.Error(), "UNSPECIFIED") {
		t.Errorf("enum list: %v", err)
	}
}

func TestDecodeAcceptsWhatProtojsonAccepts(t *testing.T) {
	for _, body := range []string{`{"startDate":{"year":"2025","month":3.0,"day":1e1}}`, `{"travellers":null,"startDate":null}`, `{}`} {
		var visit *partnershipv1.Visit
		if err := New().NewDecoder(strings.NewReader(body)).Decode(&visit); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestDecodeAcceptsBothFieldSpellings(t *testing.T) {
	for _, body := range []string{`{"displayName":"Malmö"}`, `{"display_name":"Malmö"}`} {
		org, err := decode(body)
		if err != nil || org.GetDisplayName() != "Malmö" {
			t.Errorf("%s: %v, %v", body, org, err)
		}
	}
}

func TestReadErrorsPassUnchanged(t *testing.T) {
	boom := errors.New("boom")
	var org *partnershipv1.Organization
	err := New().NewDecoder(failingReader{boom}).Decode(&org)
	if !errors.Is(err, boom) || err.Error() != "boom" {
		t.Fatalf("got %v", err)
	}
}

func TestMarshalUsesLowerCamelCase(t *testing.T) {
	b, err := New().Marshal(&partnershipv1.Organization{DisplayName: "x", Etag: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	// protojson varies its whitespace on purpose, so compare the decoded fields.
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil || len(got) != 2 || got["displayName"] != "x" || got["etag"] != "v1" {
		t.Fatalf("got %s, %v", b, err)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"displayName":"x"}`, `{"kind":1}`, `[`, `null`, `{"swedish":{"orgNumber":"1"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, err := decode(body)
		if err == nil || err.Error() == "EOF" {
			return
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "the request body ") && !strings.HasPrefix(msg, "field") && !strings.HasPrefix(msg, "unknown field") && !strings.HasPrefix(msg, "key") {
			t.Fatalf("%q: unexplained error %v", body, err)
		}
		if strings.Contains(msg, "proto:") || strings.Contains(msg, "partnerskap.") {
			t.Fatalf("%q: internals in %v", body, err)
		}
	})
}

// A date may be written as the string a query takes, wherever a body expects a google.type.Date: alone, in a
// nested message, or in a list; the object form still works.
func TestDatesAsStrings(t *testing.T) {
	var visit *partnershipv1.Visit
	err := New().NewDecoder(strings.NewReader(`{"startDate":"2025-03-01","endDate":{"year":2025,"month":3,"day":4},"purpose":"study visit"}`)).Decode(&visit)
	if err != nil || visit.GetStartDate().GetYear() != 2025 || visit.GetStartDate().GetMonth() != 3 || visit.GetStartDate().GetDay() != 1 ||
		visit.GetEndDate().GetDay() != 4 || visit.GetPurpose() != "study visit" {
		t.Fatalf("Decode = %v, %v", visit, err)
	}
	var req *partnershipv1.CreateVisitRequest
	err = New().NewDecoder(strings.NewReader(`{"partnershipId":"p","visit":{"start_date":"2025-03-01","end_date":"2025-03-04"}}`)).Decode(&req)
	if err != nil || req.GetVisit().GetEndDate().GetDay() != 4 {
		t.Fatalf("a date in a nested message: %v, %v", req, err)
	}
}
