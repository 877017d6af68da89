package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// The networks of the brochure are loaded through the public REST API, as a user would create them: they
// span two services (the member partnerships live in the partnership service, the networks in the network
// service), and only the API keeps both consistent. Nothing is loaded when a network already exists.

// api is a REST client of the gateway with an admin token.
type api struct {
	base, token string
	client      *http.Client
}

func (a api) call(ctx context.Context, method, path string, body any) (map[string]any, error) {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return out, nil
}

func date(y, m, d int) map[string]int { return map[string]int{"year": y, "month": m, "day": d} }

// healthPair is one member of the equitable health network: a Swedish region with its partner in East Africa.
type healthPair struct {
	region, orgNumber, county string
	partner, country, kind    string
}

var equitableHealth = []healthPair{
	{"Region Stockholm", "2321000016", "01", "Jinja City", "UG", "city council"},
	{"Region Västerbotten", "2321000222", "24", "Homa Bay County", "KE", "county government"},
	{"Region Östergötland", "2321000040", "05", "Uasin Gishu County", "KE", "county government"},
}

// loadDemoNetworks creates the three networks of the brochure when there is none yet.
func loadDemoNetworks(ctx context.Context, a api) error {
	existing, err := a.call(ctx, "GET", "/v1/networks?page_size=1", nil)
	if err != nil {
		return err
	}
	if nets, _ := existing["networks"].([]any); len(nets) > 0 {
		return nil
	}
	health, err := network(ctx, a, "Equitable health, East Africa", "equitable health", "CLUSTER_EAST_AFRICA", date(2021, 1, 1))
	if err != nil {
		return err
	}
	if _, err := a.call(ctx, "POST", "/v1/networks/"+health+":open", map[string]any{}); err != nil {
		return err
	}
	for _, p := range equitableHealth {
		id, err := healthPartnership(ctx, a, p)
		if err != nil {
			return err
		}
		if _, err := a.call(ctx, "POST", "/v1/networks/"+health+"/memberships", map[string]any{"partnership_id": id}); err != nil {
			return err
		}
	}
	for _, step := range []string{"start", "close"} { // 2021-2024: it has run its course
		if _, err := a.call(ctx, "POST", "/v1/networks/"+health+":"+step, map[string]any{}); err != nil {
			return err
		}
	}
	climate, err := network(ctx, a, "Climate action, Southern Africa", "climate action", "CLUSTER_SOUTHERN_AFRICA", date(2022, 1, 1))
	if err != nil {
		return err
	}
	if _, err := a.call(ctx, "POST", "/v1/networks/"+climate+":close", map[string]any{}); err != nil {
		return err
	}
	rights, err := network(ctx, a, "Human rights, Southern Africa", "human rights", "CLUSTER_SOUTHERN_AFRICA", date(2026, 9, 1))
	if err != nil {
		return err
	}
	_, err = a.call(ctx, "POST", "/v1/networks/"+rights+":open", map[string]any{})
	return err
}

func network(ctx context.Context, a api, name, theme, cluster string, start map[string]int) (string, error) {
	n, err := a.call(ctx, "POST", "/v1/networks", map[string]any{"display_name": name, "theme": theme, "cluster": cluster,
		"cohort_start": start, "coordinator": "dev-coordinator", "research_advisor": "ICLD research advisor"})
	if err != nil {
		return "", err
	}
	return n["id"].(string), nil
}

// healthPartnership registers both parties and a partnership whose inception started with the cohort.
func healthPartnership(ctx context.Context, a api, p healthPair) (string, error) {
	region, err := a.call(ctx, "POST", "/v1/organizations", map[string]any{"kind": "ORGANIZATION_KIND_REGION", "display_name": p.region,
		"swedish": map[string]any{"org_number": p.orgNumber, "county_code": p.county}})
	if err != nil {
		return "", err
	}
	partner, err := a.call(ctx, "POST", "/v1/organizations", map[string]any{"kind": "ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT",
		"display_name": p.partner, "international": map[string]any{"country_code": p.country, "government_kind": p.kind}})
	if err != nil {
		return "", err
	}
	part, err := a.call(ctx, "POST", "/v1/partnerships", map[string]any{"swedish_organization_id": region["id"],
		"international_organization_id": partner["id"], "title": "Equitable health: " + p.region + " and " + p.partner,
		"core_areas": []string{"CORE_AREA_EQUITY_INCLUSION", "CORE_AREA_PARTICIPATION"}, "sdg_targets": []string{"3.8", "16.7"},
		"eligibility_date": date(2020, 10, 1)})
	if err != nil {
		return "", err
	}
	id := part["id"].(string)
	_, err = a.call(ctx, "POST", "/v1/partnerships/"+id+"/applications", map[string]any{"kind": "APPLICATION_KIND_INCEPTION",
		"start_date": date(2021, 1, 1), "end_date": date(2021, 12, 31)})
	return id, err
}

// demoClient times out rather than hang make run on a stuck call.
func demoClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }
