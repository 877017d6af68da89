package console

import (
	"errors"
	"net/http"
)

// formCall is what one POST form asks of the API, and what follows its answer.
type formCall struct {
	req apiRequest
	// out, when not nil, receives the API's answer (what was created).
	out any
	// next is the page to go on to after success; it is asked after the call, so it may name what was created.
	next func() string
	// refused shows the page again with a refusal the person can act on.
	refused func(*apiError)
	// problem shows any other error; nil is c.apiProblem.
	problem func(http.ResponseWriter, *http.Request, error)
}

// sendForm is how every form's step reaches the API: as the signed-in person (their own token, never any
// other), success answered with 303 to f.next so a reload does not send the form again, a refusal the person
// can act on (actionableRefusal) handed to f.refused, anything else the problem page.
func (c *Console) sendForm(w http.ResponseWriter, r *http.Request, s *session, f formCall) {
	err := c.api.call(r.Context(), r, s.Token, f.req, f.out)
	if err == nil {
		http.Redirect(w, r, f.next(), http.StatusSeeOther)
		return
	}
	if refusal, ok := actionableRefusal(err); ok {
		f.refused(refusal)
		return
	}
	if f.problem != nil {
		f.problem(w, r, err)
		return
	}
	c.apiProblem(w, r, err)
}

// actionableRefusal answers the API's refusal when it is one the person can act on beside a form: not an
// ended session, not an unknown object (the not-found page, as for an id of another organisation), not a
// fault of the services.
func actionableRefusal(err error) (*apiError, bool) {
	var refusal *apiError
	if err == nil || !errors.As(err, &refusal) || refusal.HTTPStatus == http.StatusUnauthorized ||
		refusal.HTTPStatus == http.StatusNotFound || refusal.HTTPStatus >= 500 {
		return nil, false
	}
	return refusal, true
}
