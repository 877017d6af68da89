package console

import (
	"encoding/json"
	"net/http"
	"net/url"

	networkv1 "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
)

// network is what the console reads of the API's Network (lowerCamelCase JSON).
type network struct {
	ID                   string          `json:"id"`
	DisplayName          string          `json:"displayName"`
	Theme                string          `json:"theme"`
	Cluster              string          `json:"cluster"`
	CohortStart          json.RawMessage `json:"cohortStart"`
	DurationMonths       int32           `json:"durationMonths"`
	EndDate              json.RawMessage `json:"endDate"`
	State                string          `json:"state"`
	Coordinator          string          `json:"coordinator"`
	ResearchAdvisor      string          `json:"researchAdvisor"`
	Experts              []expert        `json:"experts"`
	CommunicationContact string          `json:"communicationContact"`
	Etag                 string          `json:"etag"`
	CreateTime           string          `json:"createTime"`
	UpdateTime           string          `json:"updateTime"`
	Creator              string          `json:"creator"`
	Updater              string          `json:"updater"`
}

// expert is one of a network's pool of experts.
type expert struct {
	Name         string `json:"name"`
	Field        string `json:"field"`
	Organization string `json:"organization"`
}

// Start and End show the cohort's first and last day (google.type.Date objects in the API).
func (n network) Start() string { return formatDay(n.CohortStart) }
func (n network) End() string   { return formatDay(n.EndDate) }

// StateKey is the catalogue key of the network's state; the API leaves an unset state out.
func (n network) StateKey() string {
	return "networkState." + orUnspecified(n.State, "NETWORK_STATE_UNSPECIFIED")
}

// ClusterKey is the catalogue key of the network's cluster.
func (n network) ClusterKey() string {
	return "cluster." + orUnspecified(n.Cluster, "CLUSTER_UNSPECIFIED")
}

func orUnspecified(v, unspecified string) string {
	if v == "" {
		return unspecified
	}
	return v
}

// networkStates and activityKinds are the enums' values, for the catalogue test: a value added to the proto
// needs its words.
var (
	networkStates = append(enumNames(networkv1.NetworkState_name), "NETWORK_STATE_UNSPECIFIED")
	activityKinds = append(enumNames(networkv1.ActivityKind_name), "ACTIVITY_KIND_UNSPECIFIED")
)

// networksData is the networks list's content.
type networksData struct {
	Networks []network
	// Next is the address of the next page; empty on the last.
	Next string
	// CanCreate offers "New network" to those the API lets create one.
	CanCreate bool
}

// listNetworks shows one page of the networks the person may see: all of them for ICLD's roles, those of
// their own partnerships for members and partners (the API decides).
func (c *Console) listNetworks(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	var answer struct {
		Networks      []network `json:"networks"`
		NextPageToken string    `json:"nextPageToken"`
	}
	req := apiRequest{method: http.MethodGet, path: "/v1/networks", query: listQuery(in)}
	if err := c.api.call(r.Context(), r, s.Token, req, &answer); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	data := networksData{Networks: answer.Networks, Next: nextPage("/console/networks", in, answer.NextPageToken),
		CanCreate: mayCreateNetworks(s)}
	c.render(w, r, http.StatusOK, "networks", "networks", data)
}

// networkPath is the API's path of network id, or of one of its parts.
func networkPath(id string, part ...string) string {
	p := "/v1/networks/" + url.PathEscape(id)
	for _, s := range part {
		p += "/" + s
	}
	return p
}
