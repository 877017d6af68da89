package domain

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Limits on an activity's fields. MaxParticipants per partnership is far above any training or visit, so a
// larger number is a typing mistake.
const (
	MaxActivityTitleLen = 200
	MaxHostLen          = 200
	MaxOutcomesLen      = 5000
	MaxParticipants     = 500
	MaxLinks            = 20
	MaxLinkLen          = 2000
)

// ActivityKind is what a network's partnerships do together.
type ActivityKind string

// The kinds of network activity (programme.md: joint trainings and south-south visits, and the conferences
// and research outputs of the research advisor's work).
const (
	KindJointTraining   ActivityKind = "joint_training"
	KindSouthSouthVisit ActivityKind = "south_south_visit"
	KindConference      ActivityKind = "conference"
	KindResearchOutput  ActivityKind = "research_output"
)

// ActivityKinds returns every kind, in the order clients offer them.
func ActivityKinds() []ActivityKind {
	return []ActivityKind{KindJointTraining, KindSouthSouthVisit, KindConference, KindResearchOutput}
}

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool {
	for _, x := range ActivityKinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Participation is how many people of one member partnership took part in an activity.
type Participation struct {
	PartnershipID string
	Participants  int
}

// Activity is a joint training, south-south visit, conference or research output of a network.
type Activity struct {
	// ID is assigned by the store; empty for an activity not yet stored.
	ID         string
	Kind       ActivityKind
	Title      string
	Start, End Date
	// Host is free text: a party, ICLD, a university.
	Host           string
	Participations []Participation
	Outcomes       string
	// Links point to material about the activity: reports, recordings, publications.
	Links []string
}

// Validate checks a against the network's active member partnerships (members holds their ids) and returns
// a *fault.Invalid naming prefix.kind, prefix.title, prefix.start_date, prefix.end_date, prefix.host,
// prefix.participations[i].partnership_id, prefix.participations[i].participants, prefix.outcomes,
// prefix.links and prefix.links[i], or nil. Only active members take part: an activity of the network is
// evidence of the cohort's joint work, so a removed member or an outsider would distort it.
func (a Activity) Validate(members []string, prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if !a.Kind.Valid() {
		names := make([]string, 0, 4)
		for _, k := range ActivityKinds() {
			names = append(names, string(k))
		}
		msg := "choose the kind of activity: " + prose.JoinOr(names)
		if a.Kind != "" {
			msg = fmt.Sprintf("%s is not a kind of activity; choose %s", prose.Quote(string(a.Kind)), prose.JoinOr(names))
		}
		v.Add(path(prefix, "kind"), msg)
	}
	if msg := prose.CheckText(strings.TrimSpace(a.Title), "the title", 1, MaxActivityTitleLen, false); msg != "" {
		v.Add(path(prefix, "title"), msg)
	}
	startMsg := checkDate(a.Start, "the first day of the activity")
	if startMsg != "" {
		v.Add(path(prefix, "start_date"), startMsg)
	}
	switch endMsg := checkDate(a.End, "the last day of the activity"); {
	case endMsg != "":
		v.Add(path(prefix, "end_date"), endMsg)
	case startMsg == "" && a.End.Before(a.Start):
		v.Add(path(prefix, "end_date"), fmt.Sprintf("the activity ends on %s, before it starts on %s", a.End, a.Start))
	}
	if msg := prose.CheckText(a.Host, "the host", 0, MaxHostLen, false); msg != "" {
		v.Add(path(prefix, "host"), msg)
	}
	validateParticipations(v, a.Participations, members, path(prefix, "participations"))
	if msg := prose.CheckText(a.Outcomes, "the outcomes", 0, MaxOutcomesLen, true); msg != "" {
		v.Add(path(prefix, "outcomes"), msg)
	}
	validateLinks(v, a.Links, path(prefix, "links"))
	return v.Err()
}

func validateParticipations(v *fault.Invalid, ps []Participation, members []string, field string) {
	active := make(map[string]bool, len(members))
	for _, m := range members {
		active[m] = true
	}
	seen := map[string]int{}
	for i, p := range ps {
		at := index(field, i)
		switch first, dup := seen[p.PartnershipID]; {
		case strings.TrimSpace(p.PartnershipID) == "":
			v.Add(at+".partnership_id", "choose the member partnership that took part")
		case !active[p.PartnershipID]:
			v.Add(at+".partnership_id", fmt.Sprintf("partnership %s is not an active member of this network; only members take part in its activities", p.PartnershipID))
		case dup:
			v.Add(at+".partnership_id", fmt.Sprintf("partnership %s is listed twice (also at %s); give its participants once", p.PartnershipID, index(field, first)))
		default:
			seen[p.PartnershipID] = i
		}
		if p.Participants < 1 || p.Participants > MaxParticipants {
			v.Add(at+".participants", fmt.Sprintf("give the number of people who took part, 1 to %d, not %d; leave a partnership out if nobody did", MaxParticipants, p.Participants))
		}
	}
}

func validateLinks(v *fault.Invalid, links []string, field string) {
	if len(links) > MaxLinks {
		v.Add(field, fmt.Sprintf("%d links are given; at most %d are allowed", len(links), MaxLinks))
		return
	}
	for i, l := range links {
		if msg := linkProblem(l); msg != "" {
			v.Add(index(field, i), msg)
		}
	}
}

// linkProblem says why l is not a link a reader can open, or "". Only absolute http and https URLs pass:
// other schemes (javascript:, file:) are unsafe or useless to a reader in a browser.
func linkProblem(l string) string {
	if msg := prose.CheckText(l, "the link", 1, MaxLinkLen, false); msg != "" {
		return msg
	}
	u, err := url.Parse(l)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || strings.ContainsAny(l, " \t") {
		return fmt.Sprintf("%s is not a web address; give a link starting with https:// or http://", prose.Quote(l))
	}
	return ""
}
