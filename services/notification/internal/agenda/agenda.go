// Package agenda is what the notification service decides in plain Go: which deadlines concern a person, when a
// deadline is reminded of, and what a week's digest holds.
package agenda

import (
	"fmt"
	"slices"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"
)

// Deadline is something due, as a service answered it.
type Deadline struct {
	ID            string
	Kind          Kind
	Title         string
	Due           civil.Date
	PartnershipID string
	// OrgIDs are the organisations that act on it; empty when ICLD acts or it is programme-wide.
	OrgIDs      []string
	Responsible string
	// Resource is the REST path of what to act on.
	Resource string
	// Facts are what Title is made of (per kind: "partnership", "year", "report", ...), so that a reader's
	// own language can say it.
	Facts map[string]string
}

// Kind is what kind of thing is due.
type Kind string

// The kinds of deadline (partnerskap.type.v1.DeadlineKind, as words).
const (
	WindowCloses     Kind = "application_window_closes"
	ReportDue        Kind = "report_due"
	VisitsMissing    Kind = "visits_missing"
	VisitPlanned     Kind = "visit_planned"
	ClaimDecision    Kind = "claim_decision"
	NetworkMilestone Kind = "network_milestone"
)

// Person is someone the service writes to.
type Person struct {
	ID, Email, Name, Language string
	// Role is the role of the person's tokens: "admin", "coordinator", "member", "partner" or "auditor".
	Role        string
	OrgIDs      []string
	NoReminders bool
	NoRequests  bool
	NoDigest    bool
	// ReminderDays are the person's own distances before a deadline; empty follows the programme's.
	ReminderDays []int
}

// RemindedAt is the distances p is reminded at: their own, or the programme's.
func (p Person) RemindedAt(programme []int) []int {
	if len(p.ReminderDays) > 0 {
		return p.ReminderDays
	}
	return programme
}

// Staff reports whether p works for ICLD (or audits it) rather than for an organisation.
func (p Person) Staff() bool {
	return p.Role == "admin" || p.Role == "coordinator" || p.Role == "auditor"
}

// Reachable reports whether p can be written to at all: an address, not erased.
func (p Person) Reachable() bool { return p.Email != "" }

// Concerns reports whether d is p's to act on: for ICLD's coordinators and admins, the claims to decide; for a
// member or partner, what their organisations act on, and, for a Swedish member, the application windows.
// Auditors act on nothing.
func (p Person) Concerns(d Deadline) bool {
	switch {
	case p.Role == "coordinator" || p.Role == "admin":
		return d.Kind == ClaimDecision
	case p.Role == "member" && d.Kind == WindowCloses:
		return true
	case p.Staff():
		return false
	}
	for _, o := range p.OrgIDs {
		if slices.Contains(d.OrgIDs, o) {
			return true
		}
	}
	return false
}

// Reminder is the reminder due today of a deadline: Days is the reminder's distance (one of the rule's days),
// so that each distance is reminded of once.
type Reminder struct {
	Deadline Deadline
	Days     int
	// Left is how many days are left.
	Left int
}

// RemindersDue are the reminders due on today of ds, under days (the distances before a deadline at which
// people are reminded, e.g. 14 and 3): a deadline d days away is reminded of at the nearest distance not below
// d, once per distance. A deadline past, or farther than every distance, has none.
func RemindersDue(ds []Deadline, days []int, today civil.Date) []Reminder {
	sorted := slices.Clone(days)
	slices.Sort(sorted)
	var out []Reminder
	for _, d := range ds {
		left := civil.DaysBetween(today, d.Due)
		if left < 0 {
			continue
		}
		for _, n := range sorted {
			if left <= n {
				out = append(out, Reminder{Deadline: d, Days: n, Left: left})
				break
			}
		}
	}
	return out
}

// DigestWeek names the week of today for a digest's key: "2026-W49".
func DigestWeek(today civil.Date) string {
	y, w := today.Time().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// DigestDue reports whether today is the day digests are written (weekday, in Sweden).
func DigestDue(today civil.Date, weekday time.Weekday) bool { return today.Time().Weekday() == weekday }

// DigestSpan is how far ahead a digest looks.
const DigestSpan = 14

// Digest is what a digest on today holds of ds: the deadlines of the coming DigestSpan days, by day.
func Digest(ds []Deadline, today civil.Date) []Deadline {
	var out []Deadline
	for _, d := range ds {
		if left := civil.DaysBetween(today, d.Due); left >= 0 && left <= DigestSpan {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Deadline) int { return a.Due.Compare(b.Due) })
	return out
}
