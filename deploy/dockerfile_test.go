package deploy_test

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
	"github.com/partnerskap/partnerskap/deploy/internal/image"
)

// stage is one FROM ... AS name section of the Dockerfile.
type stage struct {
	from  string
	lines []string
}

// The Dockerfile cannot be built here, so its text is held to what `make images` builds: per binary a
// target of its name, with the binary's own ports, the same user and entrypoint; bases pinned by tag; a
// static build of every binary.
func TestDockerfileAgreesWithTheImages(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	stages := map[string]*stage{}
	var cur *stage
	fromLine := regexp.MustCompile(`(?i)^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?`)
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if m := fromLine.FindStringSubmatch(line); m != nil {
			cur = &stage{from: m[1]}
			stages[m[2]] = cur
			if _, isStage := stages[m[1]]; !isStage && !strings.Contains(m[1], "${") {
				if i := strings.LastIndex(m[1], ":"); i < strings.LastIndex(m[1], "/") || i < 0 || strings.HasSuffix(m[1], ":latest") {
					t.Errorf("base image %s is not pinned by a version tag", m[1])
				}
			}
			continue
		}
		if cur != nil && line != "" && !strings.HasPrefix(line, "#") {
			cur.lines = append(cur.lines, line)
		}
	}
	// instruction returns the arguments of the last such instruction in a stage or the stages it is
	// built from.
	var instruction func(name, inst string) string
	instruction = func(name, inst string) string {
		st := stages[name]
		if st == nil {
			return ""
		}
		for i := len(st.lines) - 1; i >= 0; i-- {
			if f := strings.Fields(st.lines[i]); len(f) > 0 && strings.EqualFold(f[0], inst) {
				return strings.Join(f[1:], " ")
			}
		}
		return instruction(st.from, inst)
	}
	build := strings.Join(stages["build"].lines, " ")
	if !strings.Contains(build, "CGO_ENABLED=0") {
		t.Errorf("the build stage does not disable cgo")
	}
	for _, n := range binaries.Names {
		if !strings.Contains(build, binaries.Package(n)) {
			t.Errorf("the build stage does not build %s", binaries.Package(n))
		}
		if stages[n] == nil {
			t.Errorf("no target %s", n)
			continue
		}
		var exposed []string
		for _, p := range strings.Fields(instruction(n, "EXPOSE")) {
			exposed = append(exposed, p+"/tcp")
		}
		sort.Strings(exposed)
		if want, _ := binaries.Ports(defaults[n]); !slices.Equal(exposed, want) {
			t.Errorf("target %s exposes %v, the binary listens on %v", n, exposed, want)
		}
		if got := instruction(n, "USER"); got != image.User {
			t.Errorf("target %s runs as %q, want %q", n, got, image.User)
		}
		if got, want := instruction(n, "ENTRYPOINT"), `["`+image.Entrypoint(n)+`"]`; got != want {
			t.Errorf("target %s has entrypoint %s, want %s", n, got, want)
		}
	}
}
