package console

import (
	"net/http"
	"net/url"
	"strings"
)

// Registering and changing an organisation. The form offers both to admins; the API decides who may (it
// lets a member change only its own organisation's name). A change sends only the parts the person changed
// (display_name, swedish, international: the API's update mask takes the details whole) with the etag the
// form was read at; when someone changed the organisation meanwhile the API refuses, nothing changes, and
// the form shows the organisation as it now is.

// orgInputs are the form's inputs, named by the API's field paths in lowerCamelCase, in the form's order.
var orgInputs = []string{"organization.kind", "organization.displayName", "organization.swedish.orgNumber",
	"organization.swedish.municipalityCode", "organization.swedish.countyCode",
	"organization.international.countryCode", "organization.international.governmentKind"}

// orgFormData is the register or change form's content.
type orgFormData struct {
	// O is the organisation changed; empty when registering one.
	O        organization
	Creating bool
	// Form holds the inputs' values by input name; Etag the version they were read from.
	Form     map[string]string
	Etag     string
	Kinds    []string
	Errors   map[string]*text
	Summary  []string
	Problems []text
	// Current is the organisation as it now is, after someone else changed it while the person edited.
	Current *organization
}

// Abroad says whether the form is about a local government abroad (by the kind chosen or stored).
func (d orgFormData) Abroad() bool {
	return d.Form["organization.kind"] == "ORGANIZATION_KIND_INTERNATIONAL_LOCAL_GOVERNMENT"
}

// orgInput is one text input of the form as its template draws it.
type orgInput struct {
	Name, Hint, Value string
	E                 *text
	Lang              lang
}

// Input is the input name with its value, its problem and its hint's key ("" for none).
func (d orgFormData) Input(l lang, name, hint string) orgInput {
	return orgInput{Name: name, Hint: hint, Value: d.Form[name], E: d.Errors[name], Lang: l}
}

// mayChangeOrganizations says whether the organisation pages offer "New organisation" and "Change": to
// admins, who keep the register. The API still decides each send.
func mayChangeOrganizations(s *session) bool { return s != nil && s.Role == "admin" }

// orgValues are o's values as the form shows them.
func orgValues(o organization) map[string]string {
	v := map[string]string{"organization.kind": o.Kind, "organization.displayName": o.DisplayName}
	if d := o.Domestic; d != nil {
		v["organization.swedish.orgNumber"], v["organization.swedish.municipalityCode"], v["organization.swedish.countyCode"] =
			d.OrgNumber, d.MunicipalityCode, d.CountyCode
	}
	if i := o.International; i != nil {
		v["organization.international.countryCode"], v["organization.international.governmentKind"] = i.CountryCode, i.GovernmentKind
	}
	return v
}

// postedOrg are the form's values as the person sent them; a country code is the API's upper case.
func postedOrg(r *http.Request) map[string]string {
	out := map[string]string{}
	for _, input := range orgInputs {
		out[input] = strings.TrimSpace(r.PostForm.Get(input))
	}
	out["organization.international.countryCode"] = strings.ToUpper(out["organization.international.countryCode"])
	return out
}

// orgDetails are the API's swedish or international details of the form's values.
func orgDetails(v map[string]string, abroad bool) (string, map[string]any) {
	if abroad {
		return "international", map[string]any{"countryCode": v["organization.international.countryCode"],
			"governmentKind": v["organization.international.governmentKind"]}
	}
	return "swedish", map[string]any{"orgNumber": v["organization.swedish.orgNumber"],
		"municipalityCode": v["organization.swedish.municipalityCode"], "countyCode": v["organization.swedish.countyCode"]}
}

// orgRefusal places the API's refusals of an organisation beside the form's inputs. The API names fields in
// snake_case ("organization.swedish.org_number"); details missing as a whole belong to their first input.
func orgRefusal() refusalPlacement {
	return refusalPlacement{inputs: orgInputs, input: orgInputOf, field: explainOrgField, reason: explainOrgReason, unreadBody: true}
}

// orgInputOf names the input a field path of the API belongs to.
func orgInputOf(field string) string {
	parts := strings.Split(fieldIndex.ReplaceAllString(field, ""), ".")
	for i, p := range parts {
		words := strings.Split(p, "_")
		for j := 1; j < len(words); j++ {
			if words[j] != "" {
				words[j] = strings.ToUpper(words[j][:1]) + words[j][1:]
			}
		}
		parts[i] = strings.Join(words, "")
	}
	switch input := strings.Join(parts, "."); input {
	case "organization.swedish":
		return "organization.swedish.orgNumber"
	case "organization.international":
		return "organization.international.countryCode"
	default:
		return input
	}
}

// explainOrgField says what is wrong with one input: in English the API's own words, in Swedish the
// catalogue's sentence under "orgForm.field." with the API's words as detail.
func explainOrgField(l lang, input, description string) text {
	if l == english && description != "" {
		return text{Text: description, Lang: english}
	}
	if msg, ok := lookup(l, "orgForm.field."+input); ok {
		return text{Text: msg, Lang: l, Detail: description}
	}
	return explainField(l, input, description)
}

// explainOrgReason says why the API refused: the catalogue's sentence for the organisation's reasons, else
// what explainReason says.
func explainOrgReason(l lang, e *apiError) text {
	if msg, ok := lookup(l, "orgReason."+e.Reason); ok {
		return text{Text: msg, Lang: l, Detail: detailIn(l, e)}
	}
	return explainReason(l, e)
}

// orgReasons are the reasons the catalogue has words for, for the completeness test.
var orgReasons = []string{"ETAG_MISMATCH", "OTHER_ORGANIZATION", "IDENTITY_FIELD_STAFF_ONLY", "ROLE_NOT_ALLOWED"}

func organizationPath(id string) string { return "/v1/organizations/" + url.PathEscape(id) }

// newOrganization shows the empty form of a new organisation.
func (c *Console) newOrganization(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, http.StatusOK, "organization-form", "organizations", orgFormData{Creating: true, Form: map[string]string{},
		Kinds: organizationKinds, Errors: map[string]*text{}})
}

// createOrganization sends the new organisation to POST /v1/organizations and goes on to its page. Only the
// details of the kind chosen are sent: the API refuses the other kind's.
func (c *Console) createOrganization(w http.ResponseWriter, r *http.Request, s *session) {
	values := postedOrg(r)
	body := map[string]any{"kind": values["organization.kind"], "displayName": values["organization.displayName"]}
	data := orgFormData{Creating: true, Form: values, Kinds: organizationKinds}
	if values["organization.kind"] != "" {
		name, details := orgDetails(values, data.Abroad())
		body[name] = details
	}
	var created organization
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPost, path: "/v1/organizations", body: body}, out: &created,
		next: func() string { return "/console/organizations/" + url.PathEscape(created.ID) },
		refused: func(refusal *apiError) {
			data.Errors, data.Problems = orgRefusal().place(languageOf(r), refusal)
			data.Summary = refusedInputs(orgInputs, data.Errors)
			c.render(w, r, refusal.HTTPStatus, "organization-form", "organizations", data)
		}})
}

// editOrganization shows the change form with the organisation's current values.
func (c *Console) editOrganization(w http.ResponseWriter, r *http.Request, s *session) {
	var o organization
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: organizationPath(r.PathValue("id"))}, &o); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "organization-form", "organizations", orgFormData{O: o, Form: orgValues(o), Etag: o.Etag,
		Kinds: organizationKinds, Errors: map[string]*text{}})
}

// updateOrganization sends the parts the person changed, with the etag the form was read at.
func (c *Console) updateOrganization(w http.ResponseWriter, r *http.Request, s *session) {
	id, values, etag := r.PathValue("id"), postedOrg(r), r.PostForm.Get("etag")
	// What is sent is compared with what is stored now: a part left as it was is not sent, and a part someone
	// else changed meanwhile is sent with the form's stale etag, which the API refuses.
	var now organization
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: organizationPath(id)}, &now); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	values["organization.kind"] = now.Kind // the kind cannot change
	stored := orgValues(now)
	data := orgFormData{O: now, Form: values, Etag: etag, Kinds: organizationKinds}
	body := map[string]any{"etag": etag}
	var mask []string
	if values["organization.displayName"] != stored["organization.displayName"] {
		mask, body["displayName"] = append(mask, "display_name"), values["organization.displayName"]
	}
	name, details := orgDetails(values, data.Abroad())
	for _, input := range orgInputs[2:] {
		if strings.HasPrefix(input, "organization."+name+".") && values[input] != stored[input] {
			mask, body[name] = append(mask, name), details
			break
		}
	}
	page := "/console/organizations/" + url.PathEscape(id)
	if len(mask) == 0 {
		http.Redirect(w, r, page, http.StatusSeeOther)
		return
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch, path: organizationPath(id),
		query: url.Values{"update_mask": {strings.Join(mask, ",")}}, body: body}, next: func() string { return page },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			data.Errors, data.Problems = orgRefusal().place(l, refusal)
			data.Summary = refusedInputs(orgInputs, data.Errors)
			if refusal.Reason == "ETAG_MISMATCH" || refusal.HTTPStatus == http.StatusPreconditionFailed {
				// Someone changed it meanwhile: show what it now holds; the next send applies to that version.
				data.Current, data.Etag = &now, now.Etag
				data.Problems = []text{{Text: translate(l, "orgForm.stale"), Lang: l, Detail: englishDetail(l, refusal.Message)}}
			}
			c.render(w, r, refusal.HTTPStatus, "organization-form", "organizations", data)
		}})
}
