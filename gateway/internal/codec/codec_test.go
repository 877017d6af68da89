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
		`{"displayName":`:            "not valid JSON",
		`{"displayName" 1}`:          "not valid JSON",
		`{"colour":"red"}`:           `does not fit partnerskap.partnership.v1.Organization (unknown field or wrong JSON type): proto`,
		`{"displayName":42}`:         "displayName",
		`{"display_name":["x"]}`:     "displayName",
		`{"kind":"NOT_A_KIND"}`:      "kind",
		`{"createTime":"yesterday"}`: "Timestamp",
	}
	for body, says := range cases {
		if _, err := decode(body); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: error %v does not say %q", body, err, says)
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
		if err != nil && !strings.HasPrefix(err.Error(), "the request body ") && err.Error() != "EOF" {
			t.Fatalf("%q: unexplained error %v", body, err)
		}
	})
}
