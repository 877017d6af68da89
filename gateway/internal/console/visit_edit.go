package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Changing a visit on its own page: a planned visit's dates, host, travellers and purpose, a held visit's
// outcomes (the API refuses any other change of a held or cancelled visit with VISIT_STATE, said above the
// form). Only the fields the person changed are sent, with the etag the form was read with.

// visitEditForm is the change form as read or typed.
type visitEditForm struct {
	visitForm
	Outcomes, Etag string
}

// visitEditData is the change page's content.
type visitEditData struct {
	P       partnership
	V       visit
	Parties []partnershipParty
	Names   map[string]string
	Form    visitEditForm
	// Held says the visit took place: only its outcomes are offered.
	Held     bool
	Errors   map[string]*text
	Summary  []string
	Problems []text
	// Current is the visit as it now is, after someone else changed it while the person edited.
	Current *visit
}

// visitEditInputs are the form's inputs, by the API's field paths, in the form's order.
var visitEditInputs = append(slices.Clone(visitInputs), "visit.outcomes")

// visitEditMask names each field of a body in the API's update mask, in the form's order.
var visitEditMask = []struct{ json, mask string }{{"startDate", "start_date"}, {"endDate", "end_date"},
	{"hostOrganizationId", "host_organization_id"}, {"travellers", "travellers"}, {"purpose", "purpose"}, {"outcomes", "outcomes"}}

// Editable says whether the visits page links a visit's change form: a planned visit, and a held one
// for its outcomes.
func (v visit) Editable() bool { return v.State == visitPlanned || v.State == "VISIT_STATE_HELD" }

func visitEditFormOf(v visit) visitEditForm {
	f := visitEditForm{visitForm: visitForm{Start: v.Start(), End: v.End(), Host: v.HostOrganizationID, Purpose: v.Purpose,
		Travellers: map[string]string{}}, Outcomes: v.Outcomes, Etag: v.Etag}
	for _, t := range v.Travellers {
		f.Travellers[t.OrganizationID] = strconv.Itoa(t.Count)
	}
	return f
}

func visitEditFormFrom(v url.Values) visitEditForm {
	prose := func(name string) string { return strings.ReplaceAll(v.Get(name), "\r\n", "\n") }
	f := visitEditForm{visitForm: visitForm{Start: strings.TrimSpace(v.Get("startDate")), End: strings.TrimSpace(v.Get("endDate")),
		Host: v.Get("hostOrganizationId"), Purpose: prose("purpose"), Travellers: map[string]string{}}, Outcomes: prose("outcomes"), Etag: v.Get("etag")}
	for key, values := range v {
		if org, ok := strings.CutPrefix(key, "travellers-"); ok && strings.TrimSpace(values[0]) != "" {
			f.Travellers[org] = strings.TrimSpace(values[0])
		}
	}
	return f
}

// body is the form as the API's Visit JSON, by field; bad are the inputs the console could not read.
func (f visitEditForm) body() (map[string]any, []string) {
	var bad []string
	out := map[string]any{"hostOrganizationId": f.Host, "purpose": f.Purpose, "outcomes": f.Outcomes}
	for input, value := range map[string]string{"startDate": f.Start, "endDate": f.End} {
		day, err := time.Parse(time.DateOnly, value)
		if err != nil {
			bad = append(bad, "visit."+input)
			continue
		}
		out[input] = map[string]int{"year": day.Year(), "month": int(day.Month()), "day": day.Day()}
	}
	orgs := make([]string, 0, len(f.Travellers))
	for org := range f.Travellers {
		orgs = append(orgs, org)
	}
	slices.Sort(orgs)
	travellers := []map[string]any{}
	for _, org := range orgs {
		n, err := strconv.Atoi(f.Travellers[org])
		if err != nil {
			bad = append(bad, "visit.travellers")
			continue
		}
		travellers = append(travellers, map[string]any{"organizationId": org, "count": n})
	}
	out["travellers"] = travellers
	return out, bad
}

// editVisit shows the change form with the visit's current values.
func (c *Console) editVisit(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderVisitEdit(w, r, s, http.StatusOK, func(d *visitEditData) {})
}

// renderVisitEdit reads the partnership, its parties' names and the visit, and shows the form as adjust
// leaves it. An unknown visit, or one of a partnership the person may not see, is the not-found page.
func (c *Console) renderVisitEdit(w http.ResponseWriter, r *http.Request, s *session, status int, adjust func(*visitEditData)) {
	p, err := c.partnershipOfRequest(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	v, err := c.getVisit(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	names := organizationNames(orgs)
	data := visitEditData{P: p, V: v, Parties: p.Parties(names), Names: names, Form: visitEditFormOf(v), Held: v.State == "VISIT_STATE_HELD",
		Errors: map[string]*text{}}
	adjust(&data)
	c.render(w, r, status, "visit-edit", "partnerships", data)
}

func (c *Console) getVisit(r *http.Request, s *session) (visit, error) {
	var v visit
	err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: apiPartnershipPath(r, "/visits/"+url.PathEscape(r.PathValue("visit")))}, &v)
	return v, err
}

// updateVisit sends the fields the person changed, with the etag the form was read with. Dates or counts
// the console cannot read are marked beside their inputs and nothing is sent.
func (c *Console) updateVisit(w http.ResponseWriter, r *http.Request, s *session) {
	typed := visitEditFormFrom(r.PostForm)
	now, err := c.getVisit(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	l := languageOf(r)
	sent, bad := typed.body()
	if len(bad) > 0 {
		c.renderVisitEdit(w, r, s, http.StatusBadRequest, func(d *visitEditData) {
			d.Form = typed
			for _, input := range bad {
				d.Errors[input] = &text{Text: translate(l, "field."+input), Lang: l}
			}
			d.Summary = refusedInputs(visitEditInputs, d.Errors)
			d.Problems = []text{{Text: translate(l, "reason.INVALID_ARGUMENT"), Lang: l}}
		})
		return
	}
	stored, _ := visitEditFormOf(now).body()
	body, mask := map[string]any{}, []string{}
	for _, fld := range visitEditMask {
		if fmt.Sprint(sent[fld.json]) != fmt.Sprint(stored[fld.json]) {
			body[fld.json], mask = sent[fld.json], append(mask, fld.mask)
		}
	}
	if len(mask) == 0 {
		http.Redirect(w, r, partnershipPage(r, "/visits"), http.StatusSeeOther)
		return
	}
	body["etag"] = typed.Etag
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch, path: apiPartnershipPath(r, "/visits/"+url.PathEscape(r.PathValue("visit"))),
		query: url.Values{"update_mask": {strings.Join(mask, ",")}}, body: body}, next: func() string { return partnershipPage(r, "/visits") },
		refused: func(refusal *apiError) {
			c.renderVisitEdit(w, r, s, refusal.HTTPStatus, func(d *visitEditData) {
				d.Form = typed
				d.Errors, d.Problems = partnershipPartsRefusal(visitEditInputs, visitAliases).place(l, refusal)
				d.Summary = refusedInputs(visitEditInputs, d.Errors)
				if staleEtag(refusal) {
					// Someone changed it meanwhile: show what it now holds, and let the next send apply to that version.
					d.Current, d.Form.Etag = &d.V, d.V.Etag
					d.Problems = []text{{Text: translate(l, "visitEdit.stale"), Lang: l, Detail: englishDetail(l, refusal.Message)}}
				}
			})
		}})
}
