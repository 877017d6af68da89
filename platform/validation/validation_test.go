package validation

import (
	"errors"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/platform/fault"
	financepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"
)

// An enum left unset, or set to a number the enum does not have, is described by the names a client may send,
// not by protovalidate's numbers ("must not be in list [0]"); a string outside its list names the list.
func TestEnumRulesNameTheAllowedValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		msg   *financepb.Cap
		field string
		want  string
	}{
		{"unset", &financepb.Cap{CostZone: financepb.CostZone_COST_ZONE_EUROPE, Parties: 2}, "cap.kind",
			"must be one of APPLICATION_KIND_INCEPTION, APPLICATION_KIND_PROJECT"},
		{"undefined number", &financepb.Cap{Kind: financepb.ApplicationKind_APPLICATION_KIND_PROJECT, CostZone: 99, Parties: 2}, "cap.cost_zone",
			"must be one of COST_ZONE_EUROPE, COST_ZONE_AFRICA_ASIA_LATIN_AMERICA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.msg, "cap")
			var invalid *fault.Invalid
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tc.field) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v; want %s: %s", err, tc.field, tc.want)
			}
			if strings.Contains(err.Error(), "[0]") {
				t.Fatalf("the answer speaks in numbers: %v", err)
			}
		})
	}
	err := Check(&financepb.ExportPaymentBatchRequest{Id: "01a249fa-5807-704b-ac2d-22e86a0c4e7d", Format: "xlsx"}, "")
	if err == nil || !strings.Contains(err.Error(), "format") || !strings.Contains(err.Error(), "must be one of csv, sie") {
		t.Fatalf("a format outside the list: %v", err)
	}
}
