package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Limits on membership data.
const (
	// DefaultToleranceDays is how far, either side, a member's inception may start from the cohort start:
	// about a month, since "starting together" means the same round of inception applications, not the same day.
	DefaultToleranceDays = 31
	// MaxToleranceDays bounds the tolerance; a year either side would no longer be a cohort.
	MaxToleranceDays = 366
	// MaxRemovalReasonLen bounds the reason recorded with a removal, in characters.
	MaxRemovalReasonLen = 2000
	// RemovalReasonField is the request path of the reason given with a removal.
	RemovalReasonField = "reason"
)

// MembershipRule is rule data: how close a partnership's inception must start to the cohort start. It is
// data, not a constant, so that ICLD can widen it for one round without a release.
type MembershipRule struct {
	// ToleranceDays is the largest allowed distance, in days either side, between the cohort start and the
	// start of a member's inception; exactly ToleranceDays away still passes.
	ToleranceDays int
}

// DefaultMembershipRule returns the rule the issue names: a tolerance of DefaultToleranceDays.
func DefaultMembershipRule() MembershipRule {
	return MembershipRule{ToleranceDays: DefaultToleranceDays}
}

// Validate checks the rule and returns a *fault.Invalid naming prefix.tolerance_days, or nil.
func (r MembershipRule) Validate(prefix string) error {
	if r.ToleranceDays < 0 || r.ToleranceDays > MaxToleranceDays {
		return &fault.Invalid{Reason: ReasonInvalidArgument, Violations: []fault.FieldViolation{{
			Field:       path(prefix, "tolerance_days"),
			Description: fmt.Sprintf("the tolerance is 0 to %d days either side of the cohort start, not %d", MaxToleranceDays, r.ToleranceDays),
		}}}
	}
	return nil
}

// Candidate is what the partnership service reports about a partnership that wants to join.
type Candidate struct {
	PartnershipID string
	Title         string
	// State is the partnership's lifecycle state: draft, submitted, inception, active, completed, terminated.
	State string
	// CountryCode is the international party's country (ISO 3166-1 alpha-2, XK for Kosovo).
	CountryCode string
	// CountryCluster is the partnership's cluster as the partnership service reports it (that of its
	// country on its eligibility date); empty when the country was in none that day.
	CountryCluster Cluster
	// InceptionStart is the first day of the partnership's inception application; zero when it has none.
	InceptionStart Date
}

// closedStates are the partnership states from which no work follows; the partnership service names them.
var closedStates = map[string]bool{"completed": true, "terminated": true}

// name writes the candidate for a message: its title, or its id when the title is unknown.
func (c Candidate) name() string {
	if strings.TrimSpace(c.Title) != "" {
		return "the partnership " + prose.Quote(c.Title)
	}
	return "partnership " + c.PartnershipID
}

// Membership is a partnership in a network; removals are recorded, never deleted, so the network's history
// shows who took part even after they left.
type Membership struct {
	NetworkID     string
	PartnershipID string
	Joined        Date
	// Removed is the day the partnership left; zero while it is a member.
	Removed       Date
	RemovalReason string
}

// Active reports whether the partnership is still a member: it has not been removed.
func (m Membership) Active() bool { return m.Removed.IsZero() }

// CheckJoin applies every rule for adding c to n and returns nil when c may join. running lists the
// networks, other than n, in which c is an active member; the ones whose status is recruiting or running
// count (others, and n itself, are skipped, so a caller may pass them unfiltered). A broken rule gives a
// *fault.FailedPrecondition with one violation per rule (Type NETWORK_MEMBERSHIP), in this order:
// NETWORK_NOT_RECRUITING, CLUSTER_MISMATCH, ALREADY_IN_A_NETWORK, INCEPTION_NOT_ALIGNED, PARTNERSHIP_CLOSED.
// Its Reason is the first broken rule's, and its Message joins every description, so the official fixes
// everything at once rather than learning the rules one refusal at a time.
func CheckJoin(n Network, c Candidate, running []Network, rule MembershipRule) error {
	var vs []fault.PreconditionViolation
	var reason string
	add := func(r, subject, desc string) {
		if reason == "" {
			reason = r
		}
		vs = append(vs, fault.PreconditionViolation{Type: TypeNetworkMembership, Subject: subject, Description: desc})
	}
	network := "networks/" + n.ID
	partnership := "partnerships/" + c.PartnershipID
	who := c.name()

	if n.Status != StatusRecruiting {
		add(ReasonNetworkNotRecruiting, network, notRecruiting(n))
	}
	if c.CountryCluster != n.Cluster {
		where := "in no cluster of the programme"
		if c.CountryCluster != "" {
			where = "in " + c.CountryCluster.Label()
		}
		add(ReasonClusterMismatch, partnership, fmt.Sprintf("%s lies %s; this network is for %s",
			countryDisplay(c.CountryCode), where, n.Cluster.Label()))
	}
	for _, o := range running {
		if o.ID == n.ID || (o.Status != StatusRecruiting && o.Status != StatusRunning) {
			continue
		}
		add(ReasonAlreadyInANetwork, partnership, fmt.Sprintf(
			"%s is already a member of the network %s, which is %s; a partnership belongs to one network at a time, so remove it from %s first",
			who, prose.Quote(o.Name), o.Status, prose.Quote(o.Name)))
	}
	if msg := inceptionProblem(n, c, rule); msg != "" {
		add(ReasonInceptionNotAligned, partnership, msg)
	}
	if closedStates[c.State] {
		add(ReasonPartnershipClosed, partnership, fmt.Sprintf(
			"%s is %s; completed and terminated partnerships cannot join a network", who, c.State))
	}
	if len(vs) == 0 {
		return nil
	}
	descs := make([]string, len(vs))
	for i, v := range vs {
		descs[i] = v.Description
	}
	return &fault.FailedPrecondition{Reason: reason, Message: strings.Join(descs, "; "), Violations: vs}
}

// notRecruiting says why n takes no members, and what would change that.
func notRecruiting(n Network) string {
	name := "the network " + prose.Quote(n.Name)
	switch n.Status {
	case StatusPlanned:
		return name + " is still planned; partnerships join while it is recruiting, so open it for recruiting first"
	case StatusRunning:
		return name + " is already running; partnerships join only while it is recruiting, before the cohort starts"
	case StatusClosed:
		return name + " is closed; a closed network takes no new members"
	}
	return fmt.Sprintf("%s has the state %s; partnerships join only while it is recruiting", name, prose.Quote(string(n.Status)))
}

// inceptionProblem says how c's inception misses n's cohort start, or "" when it starts within the tolerance.
// A partnership without an inception application is refused too: "starting together" is the point of a
// network, and nothing shows when it would start.
func inceptionProblem(n Network, c Candidate, rule MembershipRule) string {
	tol := max(rule.ToleranceDays, 0)
	window := fmt.Sprintf("within %s of the cohort start on %s (%s to %s)",
		plural(tol, "day", "days"), n.CohortStart, n.CohortStart.AddDays(-tol), n.CohortStart.AddDays(tol))
	if c.InceptionStart.IsZero() {
		return fmt.Sprintf("%s has no inception application; create the inception application first, starting %s", c.name(), window)
	}
	days := civil.DaysBetween(n.CohortStart, c.InceptionStart)
	if days >= -tol && days <= tol {
		return ""
	}
	side := "after"
	if days < 0 {
		side, days = "before", -days
	}
	return fmt.Sprintf("the inception of %s starts on %s, %s %s the cohort start; a member's inception starts %s",
		c.name(), c.InceptionStart, plural(days, "day", "days"), side, window)
}

// CheckRemoval checks that m may be removed for reason: the reason is required (1..MaxRemovalReasonLen
// characters), since a removal stays in the record and must explain itself, and the membership must still be
// active. Bad input comes first, as a *fault.Invalid naming RemovalReasonField; a membership already removed
// gives a *fault.FailedPrecondition (Reason ALREADY_REMOVED, Type NETWORK_MEMBERSHIP) with the day and
// reason of the earlier removal, so the first record is never overwritten.
func CheckRemoval(m Membership, reason string) error {
	if msg := prose.CheckText(strings.TrimSpace(reason), "the reason for the removal", 1, MaxRemovalReasonLen, true); msg != "" {
		return fault.InvalidField(RemovalReasonField, msg)
	}
	if m.Active() {
		return nil
	}
	msg := fmt.Sprintf("partnership %s was removed from this network on %s (%s); a removal is recorded once",
		m.PartnershipID, m.Removed, prose.Quote(m.RemovalReason))
	return &fault.FailedPrecondition{
		Reason:  ReasonAlreadyRemoved,
		Message: msg,
		Violations: []fault.PreconditionViolation{{
			Type: TypeNetworkMembership, Subject: "partnerships/" + m.PartnershipID, Description: msg,
		}},
	}
}
