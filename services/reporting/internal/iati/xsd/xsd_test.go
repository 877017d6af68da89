package xsd

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const valid = `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2025-11-20T09:30:00Z">
  <iati-activity xml:lang="en" default-currency="SEK" hierarchy="1">
    <iati-identifier>SE-ON-2021004284-N-1</iati-identifier>
    <reporting-org ref="SE-ON-2021004284" type="10"><narrative>ICLD</narrative></reporting-org>
    <title><narrative>Network</narrative></title>
    <description><narrative>Växjö &amp; An Giang</narrative></description>
    <participating-org role="1" ref="SE-0"/>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2025-01-01"/>
  </iati-activity>
</iati-activities>
`

func TestValidateAcceptsAValidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ok.xml")
	if err := os.WriteFile(path, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Validate(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	if err := ValidateReader(context.Background(), strings.NewReader(valid)); err != nil {
		t.Fatal(err)
	}
}

// The schema's sequence is enforced: activity-status must come before activity-date, and an error quotes
// xmllint's finding.
func TestValidateRefusesAndSaysWhy(t *testing.T) {
	swapped := strings.Replace(valid, `<activity-status code="2"/>
    <activity-date type="1" iso-date="2025-01-01"/>`, `<activity-date type="1" iso-date="2025-01-01"/>
    <activity-status code="2"/>`, 1)
	err := ValidateReader(context.Background(), strings.NewReader(swapped))
	if err == nil || !strings.Contains(err.Error(), "activity-status") || !strings.Contains(err.Error(), "does not validate") {
		t.Fatalf("swapped elements: %v", err)
	}
	for name, doc := range map[string]string{
		"bad date":    strings.Replace(valid, "2025-01-01", "2025-13-01", 1),
		"bad value":   strings.Replace(valid, "</iati-activity>", `<budget><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/><value value-date="2025-01-01">1 000</value></budget></iati-activity>`, 1),
		"no version":  strings.Replace(valid, ` version="2.03"`, "", 1),
		"not xml":     "<iati-activities",
		"unknown tag": strings.Replace(valid, "<title>", "<titel/><title>", 1),
	} {
		if err := ValidateReader(context.Background(), strings.NewReader(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := Validate(context.Background(), filepath.Join(t.TempDir(), "missing.xml")); err == nil {
		t.Error("a missing file validated")
	}
}

// Without xmllint the check fails, and says what to install; it never passes silently.
func TestValidateWithoutXmllintFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := ValidateReader(context.Background(), strings.NewReader(valid))
	if err == nil || !strings.Contains(err.Error(), "libxml2-utils="+DebianVersion) || !strings.Contains(err.Error(), "make xmllint") {
		t.Fatalf("without xmllint: %v", err)
	}
}

// The schemas land in a folder named by their content, complete, and a second run reuses it.
func TestWriteSchemas(t *testing.T) {
	base := t.TempDir()
	dir, err := writeSchemas(schemaFiles, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"} {
		want, _ := schemaFiles.ReadFile("schemas/" + name)
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != string(want) || len(want) == 0 {
			t.Errorf("%s: %d bytes written, %d embedded (%v)", name, len(got), len(want), err)
		}
	}
	again, err := writeSchemas(schemaFiles, base)
	if err != nil || again != dir {
		t.Errorf("second run: %s, %v (first %s)", again, err, dir)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in %s, want the 3 schemas and no leftovers", len(entries), dir)
	}
}

// The version the install hint names is the one the Makefile pins.
func TestDebianVersionMatchesMakefile(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; !fileExists(filepath.Join(dir, "go.work")); dir = filepath.Dir(dir) {
		if dir == filepath.Dir(dir) {
			t.Skip("not inside the repository (no go.work above); nothing to compare with")
		}
	}
	makefile, err := os.ReadFile(filepath.Join(dir, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	pin := regexp.MustCompile(`(?m)^XMLLINT_DEB_VERSION\s*:=\s*(\S+)\s*$`).FindSubmatch(makefile)
	if pin == nil || string(pin[1]) != DebianVersion {
		t.Errorf("the Makefile pins XMLLINT_DEB_VERSION %q, DebianVersion is %q: keep them in step", pin, DebianVersion)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
