// Package negotiate answers the Accept header of the report and export routes. A report is JSON by default
// and CSV when the client prefers text/csv (each report has a `:csv` route, which the request is sent to); an
// export has one type of its own. A client that accepts none of a route's types gets 406 with the types it
// could ask for, instead of a body it cannot read.
package negotiate

import (
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// route is a family of paths and the types it can answer, preferred first.
type route struct {
	prefix string
	types  []string
	// csv says a JSON report has a `:csv` twin at the same path.
	csv bool
}

var routes = []route{
	{prefix: "/v1/reports/", types: []string{"application/json", "text/csv"}, csv: true},
	{prefix: "/v1/exports/iati", types: []string{"application/xml"}},
}

// Refuse writes the 406 answer; the gateway passes its error writer, so the body is the usual Status.
type Refuse func(w http.ResponseWriter, r *http.Request, offered []string)

// Middleware negotiates for the routes above and passes every other request unchanged.
func Middleware(refuse Refuse) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rt, ok := find(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			offered := rt.types
			if strings.HasSuffix(r.URL.Path, ":csv") {
				offered = []string{"text/csv"}
			}
			chosen := choose(r.Header.Values("Accept"), offered)
			switch {
			case chosen == "":
				refuse(w, r, offered)
				return
			case chosen == "text/csv" && rt.csv && !strings.HasSuffix(r.URL.Path, ":csv") && strings.Count(r.URL.Path, ":") == 0:
				r = r.Clone(r.Context())
				r.URL.Path += ":csv"
				r.URL.RawPath = ""
			}
			next.ServeHTTP(w, r)
		})
	}
}

func find(r *http.Request) (route, bool) {
	if r.Method != http.MethodGet {
		return route{}, false
	}
	for _, rt := range routes {
		if strings.HasPrefix(r.URL.Path, rt.prefix) {
			// The list of partnership summaries is JSON only and older than the CSV reports.
			if r.URL.Path == "/v1/reports/partnerships" {
				return route{types: []string{"application/json"}}, true
			}
			return rt, true
		}
	}
	return route{}, false
}

// choose returns the offered type the Accept header likes best (ties go to the earlier offer), the first
// offer when there is no Accept header, and "" when none is acceptable.
func choose(accept []string, offered []string) string {
	if len(accept) == 0 {
		return offered[0]
	}
	type rangeQ struct {
		media string
		q     float64
	}
	var ranges []rangeQ
	for _, header := range accept {
		for _, part := range strings.Split(header, ",") {
			media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
			ranges = append(ranges, rangeQ{media, q})
		}
	}
	if len(ranges) == 0 {
		return offered[0]
	}
	// The most specific range that matches an offer decides its quality; between offers of equal quality
	// the one named exactly wins over one matched by a wildcard ("text/csv, */*" asks for CSV), then the
	// earlier offer.
	quality := func(offer string) (float64, int) {
		best, specificity := 0.0, -1
		for _, r := range ranges {
			s := -1
			switch {
			case r.media == offer:
				s = 2
			case strings.HasSuffix(r.media, "/*") && strings.HasPrefix(offer, strings.TrimSuffix(r.media, "*")):
				s = 1
			case r.media == "*/*":
				s = 0
			}
			if s > specificity {
				best, specificity = r.q, s
			}
		}
		return best, specificity
	}
	type scored struct {
		offer       string
		q           float64
		specificity int
	}
	var list []scored
	for _, o := range offered {
		if q, spec := quality(o); q > 0 {
			list = append(list, scored{o, q, spec})
		}
	}
	if len(list) == 0 {
		return ""
	}
	sort.SliceStable(list, func(a, b int) bool {
		if list[a].q != list[b].q {
			return list[a].q > list[b].q
		}
		return list[a].specificity > list[b].specificity
	})
	return list[0].offer
}
