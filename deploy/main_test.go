// The offline verification of deploy/: it renders both overlays with the kustomize Go API, decodes them
// strictly and checks the rules of package check against the binaries' own defaults; it proves that the
// rules catch broken manifests; it runs the real binaries to see that the probes mean what they claim;
// and it builds the images and checks their configuration, and the Dockerfile's. No cluster, no Docker.
package deploy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
	"github.com/partnerskap/partnerskap/deploy/internal/check"
)

// Built once for every test: the binaries (static, for this machine) and what their `env` says.
var (
	binDir   string
	defaults = map[string]map[string]string{}
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "partnerskap-deploy-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	root, err := binaries.Root(".")
	if err == nil {
		err = binaries.Build(root, binDir, binaries.HostArch)
	}
	for _, n := range binaries.Names {
		if err != nil {
			break
		}
		defaults[n], err = binaries.Defaults(filepath.Join(binDir, n))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "build the binaries:", err)
		return 1
	}
	return m.Run()
}

// options are what the checks are told beyond the manifests.
func options(production bool) check.Options {
	return check.Options{
		// Which service calls which follows from the binaries' *_ADDR settings: the reporting service's
		// PARTNERSHIP_ADDR, NETWORK_ADDR and FINANCE_ADDR name the producers whose event streams it reads.
		Defaults:            defaults,
		IngressNamespace:    "ingress-nginx",
		MonitoringNamespace: "monitoring",
		Production:          production,
	}
}

// overlays are the overlays to render, each with whether it is production.
var overlays = map[string]bool{"overlays/dev": false, "overlays/production": true}
