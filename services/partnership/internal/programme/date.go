package programme

import "github.com/partnerskap/partnerskap/platform/civil"

// Date is a calendar date in Swedish administration; see platform/civil, which every service shares.
type Date = civil.Date
