package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Changing a partnership: the form shows its title, challenge, core areas and SDG targets as they are, with
// the etag they were read with; sending it changes only the fields the person changed (PATCH with an
// update mask), and only if nobody changed the partnership meanwhile. If someone did, the API refuses
// (ETAG_MISMATCH), nothing changes, and the form says so beside what the partnership now holds.

// editInputs are the form's inputs, named as the API names the fields, in the form's order.
var editInputs = []string{"title", "challenge", "coreAreas", "sdgTargets"}

// editMask names each input in the API's update mask.
var editMask = map[string]string{"title": "title", "challenge": "challenge", "coreAreas": "core_areas", "sdgTargets": "sdg_targets"}

// editForm is the change form as the person filled it in.
type editForm struct {
	Title, Challenge, SDGTargets string
	CoreAreas                    map[string]bool
	// Etag is the version of the partnership the form's values were read from.
	Etag string
}

// editData is the change form's content.
type editData struct {
	P         partnership
	Form      editForm
	CoreAreas []string
	Errors    map[string]*text
	Summary   []string
	Problems  []text
	// Current is the partnership as it now is, after someone else changed it while the person edited.
	Current *partnership
}

func formOf(p partnership) editForm {
	f := editForm{Title: p.Title, Challenge: p.Challenge, SDGTargets: strings.Join(p.SDGTargets, ", "), CoreAreas: map[string]bool{}, Etag: p.Etag}
	for _, a := range p.CoreAreas {
		f.CoreAreas[a] = true
	}
	return f
}

// editPartnership shows the change form with the partnership's current values.
func (c *Console) editPartnership(w http.ResponseWriter, r *http.Request, s *session) {
	p, err := c.partnershipOfRequest(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "partnership-edit", "partnerships", editData{P: p, Form: formOf(p), CoreAreas: coreAreas, Errors: map[string]*text{}})
}

// updatePartnership sends the fields the person changed, with the etag the form was read with.
func (c *Console) updatePartnership(w http.ResponseWriter, r *http.Request, s *session) {
	v := r.PostForm
	form := editForm{Title: v.Get("title"), Challenge: v.Get("challenge"), SDGTargets: v.Get("sdgTargets"), Etag: v.Get("etag"), CoreAreas: map[string]bool{}}
	for _, a := range v["coreAreas"] {
		form.CoreAreas[a] = true
	}
	// What the form was read with is compared with what is now stored: a field the person left as it was
	// is not sent, and a field changed by someone else meanwhile makes the etag stale, which the API refuses.
	now, err := c.partnershipOfRequest(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	body, mask := changedFields(now, form)
	if len(mask) == 0 {
		http.Redirect(w, r, partnershipPage(r, ""), http.StatusSeeOther)
		return
	}
	body["etag"] = form.Etag
	var updated partnership
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPatch, path: apiPartnershipPath(r, ""),
		query: url.Values{"update_mask": {strings.Join(mask, ",")}}, body: body}, out: &updated, next: func() string { return partnershipPage(r, "") },
		refused: func(refusal *apiError) {
			l := languageOf(r)
			data := editData{P: now, Form: form, CoreAreas: coreAreas}
			// The API names fields "partnership.title"; the form's inputs are "title".
			data.Errors, data.Problems = partnershipPartsRefusal(editInputs, nil).place(l, withoutPrefix(refusal, "partnership."))
			data.Summary = refusedInputs(editInputs, data.Errors)
			if refusal.Reason == "ETAG_MISMATCH" || refusal.HTTPStatus == http.StatusConflict || refusal.HTTPStatus == http.StatusPreconditionFailed {
				// Someone changed it meanwhile: show what it now holds, and let the next send apply to that version.
				data.Current, data.Form.Etag = &now, now.Etag
				data.Problems = []text{{Text: translate(l, "edit.stale"), Lang: l, Detail: englishDetail(l, refusal.Message)}}
			}
			c.render(w, r, refusal.HTTPStatus, "partnership-edit", "partnerships", data)
		}})
}

// withoutPrefix is e with prefix taken off each field violation's name.
func withoutPrefix(e *apiError, prefix string) *apiError {
	out := *e
	out.Fields = make([]fieldViolation, len(e.Fields))
	for i, v := range e.Fields {
		out.Fields[i] = fieldViolation{Field: strings.TrimPrefix(v.Field, prefix), Description: v.Description}
	}
	return &out
}

// changedFields is the PATCH body and update mask of the inputs whose values differ from p's.
func changedFields(p partnership, f editForm) (map[string]any, []string) {
	body, mask := map[string]any{}, []string{}
	if f.Title != p.Title {
		body["title"], mask = f.Title, append(mask, editMask["title"])
	}
	if f.Challenge != p.Challenge {
		body["challenge"], mask = f.Challenge, append(mask, editMask["challenge"])
	}
	if areas := checked(f.CoreAreas); !sameSet(areas, p.CoreAreas) {
		body["coreAreas"], mask = areas, append(mask, editMask["coreAreas"])
	}
	if targets := splitTargets(f.SDGTargets); !slices.Equal(targets, p.SDGTargets) && len(targets)+len(p.SDGTargets) > 0 {
		body["sdgTargets"], mask = targets, append(mask, editMask["sdgTargets"])
	}
	return body, mask
}

// sameSet says whether a and b hold the same values, in any order (core areas have no order).
func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}
