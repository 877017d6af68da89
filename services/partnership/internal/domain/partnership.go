package domain

import (
	"fmt"
	"strings"

	"github.com/partnerskap/partnerskap/platform/prose"

	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/reference"
)

// CoreArea is one of ICLD's four core areas of local democracy; every partnership works on at least one.
type CoreArea string

// The core areas, in the order ICLD names them.
const (
	CoreAreaEquityInclusion CoreArea = "equity_inclusion"
	CoreAreaParticipation   CoreArea = "participation"
	CoreAreaTransparency    CoreArea = "transparency"
	CoreAreaAccountability  CoreArea = "accountability"
)

// CoreAreas returns the four core areas in ICLD's order.
func CoreAreas() []CoreArea {
	return []CoreArea{CoreAreaEquityInclusion, CoreAreaParticipation, CoreAreaTransparency, CoreAreaAccountability}
}

// Valid reports whether a is one of the four core areas.
func (a CoreArea) Valid() bool {
	for _, k := range CoreAreas() {
		if k == a {
			return true
		}
	}
	return false
}

// PartnershipField is the request path of a partnership in Create/Update requests.
const PartnershipField = "partnership"

// Limits on a partnership's fields.
const (
	MaxTitleLen     = 200
	MaxChallengeLen = 5000
	MaxSDGTargets   = 20
)

// Partnership is a Swedish and an international party working on one shared challenge to strengthen local
// democracy.
type Partnership struct {
	ID string
	// SwedishOrgID and InternationalOrgID are Organization IDs; the store checks they exist, and CheckParties
	// that their kinds fit their roles.
	SwedishOrgID       string
	InternationalOrgID string
	Title              string
	// Challenge is the one challenge both parties take on, each from its own local conditions.
	Challenge  string
	CoreAreas  []CoreArea
	SDGTargets []string
	State      State
	// ThirdOrgID is the optional third party of a three-party partnership: a Swedish organisation or a local
	// government in an EU country.
	ThirdOrgID string
	// EligibilityDate is the day on which the international party's country must be a cooperation country.
	EligibilityDate programme.Date
}

// Validate checks p's own fields and returns a *fault.Invalid listing every problem under "partnership"
// (title, challenge, core_areas[i], sdg_targets[i], swedish_organization_id, international_organization_id,
// state), or nil. State may be empty for a partnership not yet created.
func (p Partnership) Validate() error { return p.ValidateAt(PartnershipField) }

// ValidateAt is Validate with another path prefix.
func (p Partnership) ValidateAt(prefix string) error {
	v := &fault.Invalid{Reason: ReasonInvalidArgument}
	if msg := prose.CheckText(strings.TrimSpace(p.Title), "the title", 1, MaxTitleLen, false); msg != "" {
		v.Add(prefix+".title", msg)
	}
	if msg := prose.CheckText(p.Challenge, "the challenge", 0, MaxChallengeLen, true); msg != "" {
		v.Add(prefix+".challenge", msg)
	}
	validateCoreAreas(v, prefix+".core_areas", p.CoreAreas)
	validateSDGTargets(v, prefix+".sdg_targets", p.SDGTargets)

	swe, intl := strings.TrimSpace(p.SwedishOrgID), strings.TrimSpace(p.InternationalOrgID)
	if swe == "" {
		v.Add(prefix+".swedish_organization_id", "choose the Swedish party")
	}
	if intl == "" {
		v.Add(prefix+".international_organization_id", "choose the international party")
	}
	if swe != "" && swe == intl {
		v.Add(prefix+".international_organization_id", "the international party must be another organisation than the Swedish party")
	}
	if third := strings.TrimSpace(p.ThirdOrgID); third != "" && (third == swe || third == intl) {
		v.Add(prefix+".third_organization_id", "the third party must be another organisation than the Swedish and the international party")
	}
	if p.State != "" && !p.State.Valid() {
		v.Add(prefix+".state", fmt.Sprintf("%q is not a partnership state", string(p.State)))
	}
	return v.Err()
}

func validateCoreAreas(v *fault.Invalid, path string, areas []CoreArea) {
	if len(areas) == 0 {
		v.Add(path, "choose at least one core area: equity and inclusion, participation, transparency or accountability")
		return
	}
	seen := map[CoreArea]int{}
	for i, a := range areas {
		at := fmt.Sprintf("%s[%d]", path, i)
		if !a.Valid() {
			v.Add(at, fmt.Sprintf("%q is not a core area; choose equity_inclusion, participation, transparency or accountability", string(a)))
			continue
		}
		if first, dup := seen[a]; dup {
			v.Add(at, fmt.Sprintf("%s is already listed at position %d", a, first))
			continue
		}
		seen[a] = i
	}
}

func validateSDGTargets(v *fault.Invalid, path string, targets []string) {
	if len(targets) > MaxSDGTargets {
		// Dozens of targets say nothing about what a partnership does; IATI reporting wants the few it serves.
		v.Add(path, fmt.Sprintf("%d SDG targets are listed; choose at most %d, those the partnership contributes to most", len(targets), MaxSDGTargets))
	}
	seen := map[string]int{}
	for i, code := range targets {
		at := fmt.Sprintf("%s[%d]", path, i)
		if _, ok := reference.SDGTargetByCode(code); !ok {
			v.Add(at, unknownSDGTarget(code))
			continue
		}
		if first, dup := seen[code]; dup {
			v.Add(at, fmt.Sprintf("target %s is already listed at position %d", code, first))
			continue
		}
		seen[code] = i
	}
}

// unknownSDGTarget explains an unknown target code, recognising a goal given where a target belongs.
func unknownSDGTarget(code string) string {
	if code == "" {
		return "enter an SDG target code, e.g. 16.7"
	}
	if _, ok := reference.SDGTargetByCode(code + ".1"); ok {
		return fmt.Sprintf("%q is a goal; give one of its targets, e.g. %s.1", code, code)
	}
	return fmt.Sprintf("%q is not an SDG target; use the UN code of a target, e.g. 16.7", code)
}

// CheckParties checks that the organisations named as parties may take those roles: the Swedish party must
// be of a Swedish kind and the international party an international local government. It needs the stored
// organisations, so the server calls it after loading them; it returns a *fault.FailedPrecondition (Reason
// PARTY_KIND) with one violation per misplaced party, or nil.
func CheckParties(swedish, international Organization) error {
	var vs []fault.PreconditionViolation
	if !swedish.Kind.IsSwedish() {
		vs = append(vs, fault.PreconditionViolation{
			Type:    ReasonPartyKind,
			Subject: orgSubject(swedish),
			Description: fmt.Sprintf("the Swedish party must be a municipality, region, local federation, municipal company "+
				"or municipal association; %s is %s", orgDisplay(swedish), swedish.Kind.Label()),
		})
	}
	if !international.Kind.IsInternational() {
		vs = append(vs, fault.PreconditionViolation{
			Type:    ReasonPartyKind,
			Subject: orgSubject(international),
			Description: fmt.Sprintf("the international party must be an international local government; %s is %s",
				orgDisplay(international), international.Kind.Label()),
		})
	}
	if len(vs) == 0 {
		return nil
	}
	descs := make([]string, len(vs))
	for i, pv := range vs {
		descs[i] = pv.Description
	}
	return &fault.FailedPrecondition{Reason: ReasonPartyKind, Message: strings.Join(descs, "; "), Violations: vs}
}

// orgSubject names an organisation as a resource, the way other precondition subjects do.
func orgSubject(o Organization) string {
	if o.ID == "" {
		return "organization"
	}
	return "organizations/" + o.ID
}

// orgDisplay names an organisation in a sentence: its name if it has one, else its id.
func orgDisplay(o Organization) string {
	if n := strings.TrimSpace(o.Name); n != "" {
		return fmt.Sprintf("%q", n)
	}
	if o.ID != "" {
		return "organization " + o.ID
	}
	return "the organisation"
}

// euCountries are the EU member states (ISO 3166-1 alpha-2), whose local governments may be the third party
// of a three-party partnership.
var euCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true, "EE": true, "ES": true,
	"FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
}

// CheckThirdParty checks that the third party of a three-party partnership is a Swedish organisation or a
// local government in an EU country.
func CheckThirdParty(third Organization) error {
	if third.Kind.IsSwedish() || (third.International != nil && euCountries[third.International.CountryCode]) {
		return nil
	}
	desc := fmt.Sprintf("the third party must be a Swedish organisation or a local government in an EU country; %s is not", orgDisplay(third))
	return &fault.FailedPrecondition{Reason: ReasonPartyKind, Message: desc,
		Violations: []fault.PreconditionViolation{{Type: ReasonPartyKind, Subject: orgSubject(third), Description: desc}}}
}
