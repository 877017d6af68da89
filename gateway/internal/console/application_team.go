package console

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// An application's team: the people of each party who do the inception or project work, and whether the
// team meets the rule of the application's kind, which the API checks and the page says in words. The form
// holds every member with one empty row to add; "more rows" shows the form again with another, empty rows
// are left out, and the whole team is sent (the API replaces it).

// teamMember is what the console reads of the API's Member in a team.
type teamMember struct {
	OrganizationID string `json:"organizationId"`
	DisplayName    string `json:"displayName"`
	Email          string `json:"email"`
	Role           string `json:"role"`
	ProjectManager bool   `json:"projectManager"`
	Erased         bool   `json:"erased"`
}

// teamRoles are the roles a team has (a leading official sits on steering groups only).
var teamRoles = []string{"MEMBER_ROLE_MAJORITY_POLITICIAN", "MEMBER_ROLE_OPPOSITION_POLITICIAN", "MEMBER_ROLE_OFFICIAL"}

// teamRules are the team rules the API checks, whose words the catalogue has (the API's sentence, with the
// counts, stands beside them as detail).
var teamRules = []string{"MAJORITY_POLITICIANS", "OPPOSITION_POLITICIANS", "OFFICIALS", "PROJECT_MANAGERS",
	"PROJECT_MANAGER_NOT_OFFICIAL", "MEMBER_NOT_A_PARTY"}

// teamFields are each row's inputs, by the API's field names.
var teamFields = []string{"organizationId", "displayName", "email", "role", "projectManager"}

// teamRow is one row of the form, with its problems by field name.
type teamRow struct {
	Index  int
	Member teamMember
	Errors map[string]*text
}

// Input is the row's input name of field: "members[2].displayName".
func (r teamRow) Input(field string) string { return fmt.Sprintf("members[%d].%s", r.Index, field) }

// Number is the row's number as the page shows it, from 1.
func (r teamRow) Number() int { return r.Index + 1 }

// teamData is the team page's content.
type teamData struct {
	A          application
	Parties    []partnershipParty
	Names      map[string]string
	Roles      []string
	Rows       []teamRow
	Passes     bool
	Violations []shownViolation
	// Summary lists each row's problem with a link to its input; Problems those of no input.
	Summary  []teamProblem
	Problems []text
}

// teamProblem is a problem of one input, for the list above the form.
type teamProblem struct {
	Input string
	Row   int
	Says  text
}

// teamPath is the API's address of the application's team.
func teamPath(r *http.Request) string {
	return "/v1/partnerships/" + url.PathEscape(r.PathValue("id")) + "/applications/" + url.PathEscape(r.PathValue("aid")) + "/team"
}

// teamPage is the console's address of the team page.
func teamPage(r *http.Request) string {
	return applicationPath(r.PathValue("id"), r.PathValue("aid")) + "/team"
}

// showApplicationTeam shows the team as the API has it, with one empty row to add.
func (c *Console) showApplicationTeam(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderTeam(w, r, s, http.StatusOK, nil, nil)
}

// setApplicationTeam sends the whole team to PUT .../team; "more rows" only shows the form with another.
func (c *Console) setApplicationTeam(w http.ResponseWriter, r *http.Request, s *session) {
	rows := postedTeam(r)
	if r.PostForm.Get("more") != "" {
		c.renderTeam(w, r, s, http.StatusOK, append(rows, teamRow{Index: len(rows), Errors: map[string]*text{}}), nil)
		return
	}
	// Empty rows are left out; sent remembers which row each sent member is, so a refusal of members[i]
	// stands beside the row the person typed it in.
	members, sent := []map[string]any{}, []int{}
	for i, row := range rows {
		m := row.Member
		if m.DisplayName == "" && m.Email == "" && m.Role == "" && !m.ProjectManager {
			continue
		}
		member := map[string]any{"organizationId": m.OrganizationID, "displayName": m.DisplayName, "role": m.Role, "projectManager": m.ProjectManager}
		if m.Email != "" {
			member["email"] = m.Email
		}
		members, sent = append(members, member), append(sent, i)
	}
	c.sendForm(w, r, s, formCall{req: apiRequest{method: http.MethodPut, path: teamPath(r), body: map[string]any{"members": members}},
		next: func() string { return teamPage(r) }, refused: func(refusal *apiError) {
			c.renderTeam(w, r, s, refusal.HTTPStatus, rows, func(d *teamData) { placeTeamRefusal(languageOf(r), d, refusal, sent) })
		}})
}

// teamFieldPath reads the API's path of a member's field: "members[1].display_name" -> 1, "displayName".
var teamFieldPath = regexp.MustCompile(`^members\[(\d+)\]\.([a-z_A-Z]+)`)

// placeTeamRefusal puts each field violation beside its row's input and the rest above the form.
func placeTeamRefusal(l lang, d *teamData, e *apiError, sent []int) {
	d.Problems = append(d.Problems, explainApplicationReason(l, e))
	for _, v := range e.Fields {
		m := teamFieldPath.FindStringSubmatch(v.Field)
		if m == nil {
			d.Problems = append(d.Problems, text{Text: cmpOr(v.Description, v.Field), Lang: english})
			continue
		}
		i, _ := strconv.Atoi(m[1])
		field := lowerCamel(m[2])
		if i >= len(sent) || i < 0 {
			d.Problems = append(d.Problems, text{Text: v.Description, Lang: english})
			continue
		}
		says := explainTeamField(l, field, v.Description)
		row := &d.Rows[sent[i]]
		row.Errors[field] = &says
		d.Summary = append(d.Summary, teamProblem{Input: row.Input(field), Row: sent[i] + 1, Says: says})
	}
	d.Problems = append(d.Problems, stepRules(l, e)...)
}

// explainTeamField says what is wrong with a member's input: the API's words in English, the catalogue's
// sentence for the field in Swedish with the API's words as detail.
func explainTeamField(l lang, field, description string) text {
	if l == english && description != "" {
		return text{Text: description, Lang: english}
	}
	if msg, ok := lookup(l, "team.field."+field); ok {
		return text{Text: msg, Lang: l, Detail: description}
	}
	return text{Text: cmpOr(description, translate(l, "problem.badRequest")), Lang: english}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// lowerCamel turns the API's snake_case field name into the form's ("project_manager" -> "projectManager").
func lowerCamel(s string) string {
	words := strings.Split(s, "_")
	for i := 1; i < len(words); i++ {
		if words[i] != "" {
			words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
		}
	}
	return strings.Join(words, "")
}

// maxTeamRows bounds the rows read from a form: the API takes at most 50 members, and one more row to add.
const maxTeamRows = 51

// postedTeam are the form's rows as the person sent them, in order.
func postedTeam(r *http.Request) []teamRow {
	n, _ := strconv.Atoi(r.PostForm.Get("rows"))
	n = min(max(n, 0), maxTeamRows)
	rows := make([]teamRow, 0, n)
	for i := range n {
		row := teamRow{Index: i, Errors: map[string]*text{}}
		get := func(field string) string { return strings.TrimSpace(r.PostForm.Get(row.Input(field))) }
		row.Member = teamMember{OrganizationID: get("organizationId"), DisplayName: get("displayName"), Email: get("email"),
			Role: get("role"), ProjectManager: get("projectManager") != ""}
		rows = append(rows, row)
	}
	return rows
}

// renderTeam reads the application, the partnership's parties and the team with its check, and shows the
// page; rows, when not nil, are the form as the person sent it, and adjust adds a refusal.
func (c *Console) renderTeam(w http.ResponseWriter, r *http.Request, s *session, status int, rows []teamRow, adjust func(*teamData)) {
	a, err := c.getApplication(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	p, err := c.partnershipOfRequest(r, s)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	orgs, err := c.listOrganizations(r, s.Token)
	if err != nil {
		c.apiProblem(w, r, err)
		return
	}
	var team struct {
		Members []teamMember `json:"members"`
		Check   struct {
			Passes     bool            `json:"passes"`
			Violations []ruleViolation `json:"violations"`
		} `json:"check"`
	}
	if err := c.api.call(r.Context(), r, s.Token, apiRequest{method: http.MethodGet, path: teamPath(r) + ":check"}, &team); err != nil {
		c.apiProblem(w, r, err)
		return
	}
	names := organizationNames(orgs)
	if rows == nil { // the team as stored, and one empty row to add
		for i, m := range team.Members {
			rows = append(rows, teamRow{Index: i, Member: m, Errors: map[string]*text{}})
		}
		rows = append(rows, teamRow{Index: len(rows), Errors: map[string]*text{}})
	}
	data := teamData{A: a, Parties: p.Parties(names), Names: names, Roles: teamRoles, Rows: rows, Passes: team.Check.Passes,
		Violations: explainViolations(languageOf(r), team.Check.Violations, names)}
	if adjust != nil {
		adjust(&data)
	}
	c.render(w, r, status, "application-team", "partnerships", data)
}
