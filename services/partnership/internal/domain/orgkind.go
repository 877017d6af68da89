package domain

// OrgKind says what kind of organisation takes part. The programme funds only public bodies (and companies
// and associations they own or control) on the Swedish side, and local or regional governments abroad, so
// the kind decides which details an organisation must carry and which role it may take.
//
// The values are lower snake case strings so that stored rows and logs stay readable; the zero value is
// "unspecified" and never valid.
type OrgKind string

// The kinds of organisation the programme knows.
const (
	// KindUnspecified is the zero value: the caller did not say.
	KindUnspecified OrgKind = ""
	// KindMunicipality is a Swedish municipality (kommun).
	KindMunicipality OrgKind = "municipality"
	// KindRegion is a Swedish region (formerly landsting), one per county.
	KindRegion OrgKind = "region"
	// KindLocalFederation is a kommunalförbund: a federation of municipalities and/or regions that runs a
	// shared task.
	KindLocalFederation OrgKind = "local_federation"
	// KindMunicipalCompany is a company owned by one or more municipalities or regions.
	KindMunicipalCompany OrgKind = "municipal_company"
	// KindMunicipalAssociation is an association owned or controlled by municipalities, such as a regional
	// association of local authorities.
	KindMunicipalAssociation OrgKind = "municipal_association"
	// KindInternationalLocalGovernment is a local or regional government outside Sweden: the international
	// party of a partnership.
	KindInternationalLocalGovernment OrgKind = "international_local_government"
)

// orgKinds lists every valid kind in a fixed order, for messages and for OrgKinds.
var orgKinds = []OrgKind{
	KindMunicipality, KindRegion, KindLocalFederation, KindMunicipalCompany, KindMunicipalAssociation,
	KindInternationalLocalGovernment,
}

// OrgKinds returns every valid kind, Swedish ones first, in a stable order (e.g. for a form's choices).
func OrgKinds() []OrgKind { return append([]OrgKind(nil), orgKinds...) }

// Valid reports whether k is one of the kinds above, other than KindUnspecified.
func (k OrgKind) Valid() bool { return k.IsSwedish() || k.IsInternational() }

// IsSwedish reports whether k is a kind that may be the Swedish party (the applicant) of a partnership.
func (k OrgKind) IsSwedish() bool {
	switch k {
	case KindMunicipality, KindRegion, KindLocalFederation, KindMunicipalCompany, KindMunicipalAssociation:
		return true
	}
	return false
}

// IsInternational reports whether k may be the international party of a partnership.
func (k OrgKind) IsInternational() bool { return k == KindInternationalLocalGovernment }

// Label names the kind in an English sentence, with an article: "a municipality". Messages use it so that
// officials read their own terms rather than enum values.
func (k OrgKind) Label() string {
	switch k {
	case KindMunicipality:
		return "a municipality"
	case KindRegion:
		return "a region"
	case KindLocalFederation:
		return "a local federation of municipalities (kommunalförbund)"
	case KindMunicipalCompany:
		return "a municipal company"
	case KindMunicipalAssociation:
		return "an association owned or controlled by municipalities"
	case KindInternationalLocalGovernment:
		return "an international local government"
	}
	return "an organisation of unspecified kind"
}
