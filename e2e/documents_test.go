package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
	"github.com/partnerskap/partnerskap/platform/auth"
)

// samplePDF is a PDF of about n bytes: what matters to the service is its first bytes.
func samplePDF(n int) string {
	head, tail := "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "\n%%EOF\n"
	return head + strings.Repeat("0", max(0, n-len(head)-len(tail))) + tail
}

// TestDocuments stores a file through the gateway and reads it back, byte for byte, with its type read from
// its bytes; refuses a type the programme does not keep, a file over the service's limit and one over the
// gateway's, writing nothing; keeps files as private as their partnership; and lets only ICLD make one public.
func TestDocuments(t *testing.T) {
	s := suite.StartWithEnv(t, []string{"DEMO_DATA=true"}, map[string][]string{
		"partnership": {"DOCUMENTS_MAX_BYTES=200000"}, "gateway": {"MAX_DOCUMENT_BYTES=400000"}})
	admin := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleAdmin, "")}
	coordinator := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleCoordinator, "")}
	d := demo(t, admin)
	member := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.malmo)}
	stranger := client{t: t, base: s.GatewayURL, token: s.Token(t, auth.RoleMember, d.vaxjo)}
	upload := func(c client, kind, name, body string) reply {
		return c.do("POST", "/v1/documents?partnershipId="+d.partnership+"&kind="+kind+"&fileName="+name, body, "Content-Type", "application/octet-stream")
	}

	pdf := samplePDF(150_000)
	stored := upload(member, "DOCUMENT_KIND_DECISION", "decision.pdf", pdf).must(t, http.StatusCreated)
	sum := sha256.Sum256([]byte(pdf))
	if stored.str("sha256") != hex.EncodeToString(sum[:]) || stored.str("contentType") != "application/pdf" || stored.header.Get("ETag") == "" {
		t.Fatalf("the stored document: %s", stored.raw)
	}
	id := stored.str("id")
	back := member.do("GET", "/v1/documents/"+id+":download", "").must(t, http.StatusOK)
	if back.raw != pdf || back.header.Get("Content-Type") != "application/pdf" || !strings.Contains(back.header.Get("Content-Disposition"), "decision.pdf") {
		t.Fatalf("downloaded %d bytes of %d, %v", len(back.raw), len(pdf), back.header)
	}

	// Another organisation's member learns nothing: not the file, not that it exists, not the partnership.
	stranger.do("GET", "/v1/documents/"+id, "").must(t, http.StatusNotFound)
	stranger.do("GET", "/v1/documents/"+id+":download", "").must(t, http.StatusNotFound)
	upload(stranger, "DOCUMENT_KIND_DECISION", "x.pdf", pdf).must(t, http.StatusNotFound)

	// Refusals write nothing.
	if r := upload(member, "DOCUMENT_KIND_DECISION", "run.pdf", "MZ\x90\x00\x03\x00\x00\x00"+strings.Repeat("\x00", 600)).must(t, http.StatusBadRequest); !strings.Contains(r.raw, "PDF, JPEG, PNG") {
		t.Fatalf("an executable named as a PDF: %s", r.raw)
	}
	if r := upload(member, "DOCUMENT_KIND_DECISION", "big.pdf", samplePDF(300_000)).must(t, http.StatusBadRequest); r.reason() != "DOCUMENT_TOO_LARGE" {
		t.Fatalf("a file over the service's limit: %s", r.raw)
	}
	upload(member, "DOCUMENT_KIND_DECISION", "bigger.pdf", samplePDF(500_000)).must(t, http.StatusRequestEntityTooLarge)
	if r := upload(member, "DOCUMENT_KIND_REPORT_ATTACHMENT", "minutes.pdf", pdf).must(t, http.StatusBadRequest); !slices.Contains(r.fields(), "reportId") {
		t.Fatalf("a report attachment without its report names the query parameter: %s", r.raw)
	}
	receipt := upload(member, "DOCUMENT_KIND_RECEIPT", "receipt.pdf", samplePDF(1000)).must(t, http.StatusCreated)
	listed := member.do("GET", "/v1/partnerships/"+d.partnership+"/documents", "").must(t, http.StatusOK)
	if n := len(list(listed.body, "documents")); n != 2 {
		t.Fatalf("%d documents after the refusals, want the two stored: %s", n, listed.raw)
	}

	// Only ICLD staff publish, and never a receipt.
	member.do("PATCH", "/v1/documents/"+id, `{"public":true}`).must(t, http.StatusForbidden)
	if r := coordinator.do("PATCH", "/v1/documents/"+receipt.str("id"), `{"public":true}`).must(t, http.StatusBadRequest); r.reason() != "RECEIPT_NOT_PUBLIC" {
		t.Fatalf("publishing a receipt: %s", r.raw)
	}
	if published := coordinator.do("PATCH", "/v1/documents/"+id, `{"public":true}`).must(t, http.StatusOK); published.body["public"] != true {
		t.Fatalf("publish: %s", published.raw)
	}

	// A published document is anyone's, without a token; every other document is not found there.
	anyone := client{t: t, base: s.GatewayURL}
	if open := anyone.do("GET", "/v1/public/documents/"+id+":download", "").must(t, http.StatusOK); open.raw != pdf {
		t.Fatalf("the published document, without a token: %d bytes", len(open.raw))
	}
	anyone.do("GET", "/v1/public/documents/"+receipt.str("id")+":download", "").must(t, http.StatusNotFound)
	stranger.do("GET", "/v1/public/documents/"+receipt.str("id")+":download", "").must(t, http.StatusNotFound)
	client{t: t, base: s.GatewayURL, token: "not.a.token"}.do("GET", "/v1/public/documents/"+id+":download", "").must(t, http.StatusUnauthorized)
	anyone.do("GET", "/v1/documents/"+id+":download", "").must(t, http.StatusUnauthorized)
}
