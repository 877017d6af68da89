package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// storedReceipt uploads a receipt of partnership, a PDF whose bytes are its own (seed makes them differ),
// and answers the JSON of a claim line's receipt that names it.
func storedReceipt(t testing.TB, c client, partnership, name string, seed int) string {
	t.Helper()
	r, err := uploadReceipt(c, partnership, name, seed)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// uploadReceipt is storedReceipt for a goroutine other than the test's.
func uploadReceipt(c client, partnership, name string, seed int) (string, error) {
	r := politely(c, "POST", "/v1/documents?partnershipId="+partnership+"&kind=DOCUMENT_KIND_RECEIPT&fileName="+name,
		samplePDF(1000)+strconv.Itoa(seed))
	if r.status != http.StatusCreated {
		return "", fmt.Errorf("upload receipt %s: %d %s", name, r.status, r.raw)
	}
	return fmt.Sprintf(`{"fileName":%q,"size":%s,"sha256":%q,"documentId":%q}`, name, r.str("size"), r.str("sha256"), r.str("id")), nil
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

	// Several records at once, in the order asked, all or none: a stranger learns nothing.
	both := "/v1/documents:batchGet?ids=" + receipt.str("id") + "&ids=" + id
	if got := list(member.do("GET", both, "").must(t, http.StatusOK).body, "documents"); len(got) != 2 ||
		got[0].(map[string]any)["id"] != receipt.str("id") || got[1].(map[string]any)["id"] != id {
		t.Fatalf("batchGet: %v", got)
	}
	stranger.do("GET", both, "").must(t, http.StatusNotFound)

	// Documents about a person are erased with them: the file name and address go, and the bytes unless a
	// document not about them holds the same ones; the hash and size stay, for the claim lines that name them.
	hotel, ticket := samplePDF(2000)+"hotel", samplePDF(2000)+"ticket"
	person := func(name, body string) reply {
		return member.do("POST", "/v1/documents?partnershipId="+d.partnership+"&kind=DOCUMENT_KIND_RECEIPT&fileName="+name+
			"&personEmail=Anna.Andersson%40malmo.se", body, "Content-Type", "application/octet-stream").must(t, http.StatusCreated)
	}
	hotelBill, ticketScan := person("hotel-anna-andersson.pdf", hotel), person("ticket-anna-andersson.pdf", ticket)
	sameBytes := upload(member, "DOCUMENT_KIND_RECEIPT", "hotel-copy.pdf", hotel).must(t, http.StatusCreated)
	if hotelBill.str("personEmail") != "Anna.Andersson@malmo.se" {
		t.Fatalf("a document about a person: %s", hotelBill.raw)
	}
	kept := func(sum string) bool {
		_, err := os.Stat(filepath.Join(s.Documents, "sha256", sum))
		return err == nil
	}
	if !kept(ticketScan.str("sha256")) {
		t.Fatalf("the ticket's bytes are not in the bucket %s", s.Documents)
	}
	member.do("POST", "/v1/people:erase", `{"email":"anna.andersson@malmo.se","reason":"she asked"}`).must(t, http.StatusForbidden)
	erased := admin.do("POST", "/v1/people:erase", `{"email":"anna.andersson@malmo.se","reason":"she asked"}`).must(t, http.StatusOK)
	if erased.body["erasedDocuments"] != float64(2) {
		t.Fatalf("the erasure: %s", erased.raw)
	}
	for _, doc := range []reply{hotelBill, ticketScan} {
		after := member.do("GET", "/v1/documents/"+doc.str("id"), "").must(t, http.StatusOK)
		if after.body["erased"] != true || after.str("fileName") != "erased" || after.body["personEmail"] != nil || after.str("sha256") != doc.str("sha256") {
			t.Errorf("an erased document's record: %s", after.raw)
		}
		if r := member.do("GET", "/v1/documents/"+doc.str("id")+":download", "").must(t, http.StatusBadRequest); r.reason() != "DOCUMENT_ERASED" {
			t.Errorf("downloading an erased document: %s", r.raw)
		}
	}
	if kept(ticketScan.str("sha256")) {
		t.Error("the erased ticket's bytes are still in the bucket")
	}
	if copy := member.do("GET", "/v1/documents/"+sameBytes.str("id")+":download", "").must(t, http.StatusOK); copy.raw != hotel {
		t.Error("a document with the same bytes as an erased one lost them")
	}
	names := member.do("GET", "/v1/partnerships/"+d.partnership+"/documents?pageSize=100", "").must(t, http.StatusOK).raw
	if strings.Contains(strings.ToLower(names), "anna") {
		t.Errorf("the documents list still names the erased person: %s", names)
	}
}
