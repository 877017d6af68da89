package console

import (
	"encoding/json"
	"fmt"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	typev1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"
)

// partnership is what the console reads of the API's Partnership (lowerCamelCase JSON).
type partnership struct {
	ID                          string          `json:"id"`
	SwedishOrganizationID       string          `json:"swedishOrganizationId"`
	InternationalOrganizationID string          `json:"internationalOrganizationId"`
	ThirdOrganizationID         string          `json:"thirdOrganizationId"`
	Title                       string          `json:"title"`
	Challenge                   string          `json:"challenge"`
	CoreAreas                   []string        `json:"coreAreas"`
	SDGTargets                  []string        `json:"sdgTargets"`
	State                       string          `json:"state"`
	CountryCode                 string          `json:"countryCode"`
	Cluster                     string          `json:"cluster"`
	EligibilityDate             json.RawMessage `json:"eligibilityDate"`
	CreateTime                  string          `json:"createTime"`
	UpdateTime                  string          `json:"updateTime"`
	Creator                     string          `json:"creator"`
	Updater                     string          `json:"updater"`
}

// Eligibility shows the eligibility date, which the API writes as a google.type.Date object.
func (p partnership) Eligibility() string { return formatDay(p.EligibilityDate) }

// formatDay shows a google.type.Date, which the API writes as an object, as ISO 8601 ("2025-03-01"); a
// string is shown as it came, and nothing as "".
func formatDay(raw json.RawMessage) string {
	var d struct{ Year, Month, Day int }
	if len(raw) == 0 || json.Unmarshal(raw, &d) != nil || d.Year == 0 {
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// enumNames lists an enum's names in number order, without the zero "unspecified" value. Taken from the
// generated code, so a state added to the proto shows up in the filter (and the catalogue test asks for
// its words).
func enumNames(names map[int32]string) []string {
	out := make([]string, 0, len(names))
	for i := int32(1); i < int32(len(names)); i++ {
		if n, ok := names[i]; ok {
			out = append(out, n)
		}
	}
	return out
}

var (
	partnershipStates = enumNames(partnershipv1.PartnershipState_name)
	coreAreas         = enumNames(partnershipv1.CoreArea_name)
	clusters          = enumNames(typev1.Cluster_name)
)

// lifecycle is the path of a partnership that goes the whole way, as the partnership page shows it;
// terminated leaves it from any open state.
var lifecycle = []string{"PARTNERSHIP_STATE_DRAFT", "PARTNERSHIP_STATE_SUBMITTED", "PARTNERSHIP_STATE_INCEPTION",
	"PARTNERSHIP_STATE_ACTIVE", "PARTNERSHIP_STATE_COMPLETED"}
