package console

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"

	partnershipv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// visit is what the console reads of the API's Visit: one exchange trip between the parties.
type visit struct {
	ID                 string          `json:"id"`
	StartDate          json.RawMessage `json:"startDate"`
	EndDate            json.RawMessage `json:"endDate"`
	HostOrganizationID string          `json:"hostOrganizationId"`
	Travellers         []struct {
		OrganizationID string `json:"organizationId"`
		Count          int    `json:"count"`
	} `json:"travellers"`
	Purpose      string `json:"purpose"`
	Outcomes     string `json:"outcomes"`
	State        string `json:"state"`
	CancelReason string `json:"cancelReason"`
	Etag         string `json:"etag"`
	CreateTime   string `json:"createTime"`
	Creator      string `json:"creator"`
}

// Start and End show the visit's first and last day.
func (v visit) Start() string { return formatDay(v.StartDate) }
func (v visit) End() string   { return formatDay(v.EndDate) }

// Planned says whether the visit may still be held or cancelled.
func (v visit) Planned() bool { return v.State == visitPlanned }

// Who says who travelled, per party, as "Malmö stad: 3" with names from names.
func (v visit) Who(names map[string]string) []string {
	out := make([]string, 0, len(v.Travellers))
	for _, t := range v.Travellers {
		out = append(out, fmt.Sprintf("%s: %s", cmp.Or(names[t.OrganizationID], t.OrganizationID), strconv.Itoa(t.Count)))
	}
	return out
}

const visitPlanned = "VISIT_STATE_PLANNED"

// visitStates are the states a visit can be in, for the catalogue test.
var visitStates = enumNames(partnershipv1.VisitState_name)

// memberRoles are the roles a member of a steering group or team can have, for the catalogue test.
var memberRoles = enumNames(partnershipv1.MemberRole_name)

// yearCompliance is one calendar year of the API's PartnershipCompliance.
type yearCompliance struct {
	Year     int `json:"year"`
	Meetings int `json:"meetings"`
	Hosted   []struct {
		OrganizationID string `json:"organizationId"`
		Party          string `json:"party"`
		Meetings       int    `json:"meetings"`
	} `json:"hosted"`
	Violations []ruleViolation `json:"violations"`
	Compliant  bool            `json:"compliant"`
}

// visitRule is the programme's visit rule of the API's ProgrammeRules: what a year asks for.
type visitRule struct {
	MinMeetingsPerYear int `json:"minMeetingsPerYear"`
	MinHostedPerParty  int `json:"minHostedPerParty"`
}

// complianceRules are the rules of a year the API checks, whose words the catalogue has.
var complianceRules = []string{"MEETINGS_PER_YEAR", "HOSTED_PER_PARTY"}
