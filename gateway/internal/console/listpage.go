package console

import "net/url"

// filter is one of a list page's filters: the console's query parameter and the API's name for it.
type filter struct{ console, api string }

// listQuery is the API query for the page of a list the person asked for: listPageSize, each filter they
// chose (under the API's name) and the page token carried in the console's own "page" parameter.
func listQuery(in url.Values, filters ...filter) url.Values {
	q := url.Values{"page_size": {listPageSize}}
	for _, f := range filters {
		if v := in.Get(f.console); v != "" {
			q.Set(f.api, v)
		}
	}
	if page := in.Get("page"); page != "" {
		q.Set("page_token", page)
	}
	return q
}

// nextPage is the console's address of the page after token, keeping the person's filters; "" when the API
// gave no token (the last page).
func nextPage(path string, in url.Values, token string, filters ...filter) string {
	if token == "" {
		return ""
	}
	next := url.Values{"page": {token}}
	for _, f := range filters {
		if v := in.Get(f.console); v != "" {
			next.Set(f.console, v)
		}
	}
	return path + "?" + next.Encode()
}
