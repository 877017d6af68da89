package codec

import (
	"encoding/json"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// dateName is the message protojson reads only as an object ({"year":2025,"month":3,"day":1}).
const dateName protoreflect.FullName = "google.type.Date"

// datesAsObjects rewrites every "YYYY-MM-DD" string that stands where md expects a google.type.Date (at any
// depth, alone or in a list) into the object protojson reads, so that a client may write a date as the
// string it writes in a query. It reports whether it rewrote anything; anything it does not understand is
// left as it was, for protojson to refuse and explainBody to describe.
func datesAsObjects(md protoreflect.MessageDescriptor, raw json.RawMessage) (json.RawMessage, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return raw, false
	}
	changed := false
	for key, value := range fields {
		fd := md.Fields().ByJSONName(key)
		if fd == nil {
			fd = md.Fields().ByTextName(key)
		}
		if fd == nil || fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
			continue
		}
		rewrite := func(v json.RawMessage) (json.RawMessage, bool) {
			if fd.Message().FullName() == dateName {
				return dateObject(v)
			}
			return datesAsObjects(fd.Message(), v)
		}
		if fd.IsList() {
			var items []json.RawMessage
			if json.Unmarshal(value, &items) != nil {
				continue
			}
			rewrote := false
			for i, item := range items {
				if out, ok := rewrite(item); ok {
					items[i], rewrote = out, true
				}
			}
			if rewrote {
				fields[key], _ = json.Marshal(items)
				changed = true
			}
			continue
		}
		if out, ok := rewrite(value); ok {
			fields[key], changed = out, true
		}
	}
	if !changed {
		return raw, false
	}
	out, err := json.Marshal(fields)
	return out, err == nil
}

// dateObject turns a JSON string "YYYY-MM-DD" naming a real day into {"year":..,"month":..,"day":..}.
func dateObject(v json.RawMessage) (json.RawMessage, bool) {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return v, false
	}
	day, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return v, false
	}
	out, err := json.Marshal(map[string]int{"year": day.Year(), "month": int(day.Month()), "day": day.Day()})
	return out, err == nil
}
