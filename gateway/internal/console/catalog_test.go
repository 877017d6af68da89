package console

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/partnerskap/partnerskap/platform/auth"
)

// Both languages have every key, and no text is empty.
func TestCatalogueLanguagesHaveTheSameKeys(t *testing.T) {
	for _, l := range languages {
		for _, other := range languages {
			for key := range messages[l] {
				if msg, ok := messages[other][key]; !ok || msg == "" {
					t.Errorf("%s has %q, %s does not", l, key, other)
				}
			}
		}
	}
}

// templateKey finds the literal keys templates translate: {{t "key"}}.
var templateKey = regexp.MustCompile(`\bt "([^"]+)"`)

// Every key a template names, and every word the pages build from the API's values, is in the catalogue.
func TestCatalogueHasEveryKeyThePagesUse(t *testing.T) {
	var keys []string
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templateFiles, path)
		for _, m := range templateKey.FindAllStringSubmatch(string(src), -1) {
			keys = append(keys, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in the templates; is the pattern stale?", len(keys))
	}
	prefixed := func(prefix string, values []string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	prefixed("state.", partnershipStates)
	prefixed("coreArea.", coreAreas)
	prefixed("cluster.", append(clusters, "CLUSTER_UNSPECIFIED"))
	prefixed("input.", formInputs)
	prefixed("field.", formInputs)
	prefixed("claimState.", claimStates)
	prefixed("deadlineKind.", deadlineKinds)
	prefixed("applicationKind.", applicationKinds)
	prefixed("budgetState.", budgetStates)
	prefixed("orgKind.", append(organizationKinds, "ORGANIZATION_KIND_UNSPECIFIED"))
	prefixed("input.", decisionInputs)
	prefixed("field.", decisionInputs)
	for _, r := range auth.Roles() {
		keys = append(keys, "role."+string(r))
	}
	keys = append(keys, "problem.heading", "problem.notFoundHeading", "problem.forbiddenHeading", "problem.notFound",
		"problem.csrf", "problem.badRequest", "problem.unexpected", "signIn.noOrgs", "signIn.chooseRole", "signIn.chooseOrg",
		"signIn.failed", "reason.INVALID_ARGUMENT", "reason.NOT_FOUND", "claim.badAmount")
	for reason := range reasonInputs {
		keys = append(keys, "reason."+reason)
	}
	for _, l := range languages {
		for _, key := range keys {
			if _, ok := lookup(l, key); !ok {
				t.Errorf("%s lacks %q", l, key)
			}
		}
	}
	if !slices.Contains(partnershipStates, "PARTNERSHIP_STATE_DRAFT") || slices.Contains(partnershipStates, "PARTNERSHIP_STATE_UNSPECIFIED") {
		t.Errorf("states from the proto: %v", partnershipStates)
	}
}

// The embedded htmx is the pinned one, unchanged (assets/SOURCE.md).
func TestHTMXIsThePinnedRelease(t *testing.T) {
	src, err := fs.ReadFile(assetFiles, "assets/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if got := hex.EncodeToString(sum[:]); got != htmxSHA256 {
		t.Errorf("htmx.min.js has sha256 %s, want %s", got, htmxSHA256)
	}
}
