// Package e2e tests the whole suite as its users meet it: every binary running, REST through the gateway,
// tokens of each role. Each test boots a suite of its own (fresh databases, free ports), so tests never
// depend on each other's data.
package e2e

import (
	"os"
	"testing"

	"github.com/partnerskap/partnerskap/e2e/suite"
)

func startSuite(t *testing.T) *suite.Suite { return suite.Start(t) }

func TestMain(m *testing.M) {
	code := m.Run()
	suite.RemoveBinaries()
	os.Exit(code)
}
