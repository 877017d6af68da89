// Package config fills settings structs from environment variables (12-factor).
//
// A settings struct declares each variable once, in a tag, with its help text; its default is whatever value
// the struct holds before Load. The same declarations print the table of variables (`<binary> env`), so the
// documentation cannot drift from the code.
package config

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Var describes one environment variable.
type Var struct {
	Name    string
	Default string
	Help    string
}

// Load overrides the fields of the struct pointed to by dst that carry an `env:"NAME"` tag with the value of
// that variable, when it is set. Nested structs are walked. Supported kinds: string, bool, int, int64,
// time.Duration and []string (comma-separated). Every malformed value is reported, not just the first.
func Load(dst any) error {
	var problems []string
	walk(reflect.ValueOf(dst).Elem(), func(f reflect.Value, name, _ string) {
		raw, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if err := set(f, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s=%q: %v", name, raw, err))
		}
	})
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Describe lists the variables of the struct pointed to by src, with their current values as defaults.
func Describe(src any) []Var {
	var vars []Var
	walk(reflect.ValueOf(src).Elem(), func(f reflect.Value, name, help string) {
		vars = append(vars, Var{Name: name, Default: format(f), Help: help})
	})
	return vars
}

// Table formats vars as a Markdown table, the form the README and `<binary> env` use.
func Table(vars []Var) string {
	var b strings.Builder
	b.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, v := range vars {
		def := v.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", v.Name, def, v.Help)
	}
	return b.String()
}

func walk(v reflect.Value, visit func(f reflect.Value, name, help string)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf, f := t.Field(i), v.Field(i)
		if name := sf.Tag.Get("env"); name != "" {
			visit(f, name, sf.Tag.Get("help"))
			continue
		}
		if f.Kind() == reflect.Struct && sf.IsExported() {
			walk(f, visit)
		}
	}
}

var durationType = reflect.TypeOf(time.Duration(0))

func set(f reflect.Value, raw string) error {
	switch {
	case f.Type() == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration such as 5s or 1m")
		}
		f.SetInt(int64(d))
	case f.Kind() == reflect.String:
		f.SetString(raw)
	case f.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not true or false")
		}
		f.SetBool(b)
	case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not a whole number")
		}
		f.SetInt(n)
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		f.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported setting type %s", f.Type())
	}
	return nil
}

func format(f reflect.Value) string {
	switch {
	case f.Type() == durationType:
		return time.Duration(f.Int()).String()
	case f.Kind() == reflect.Slice:
		parts := make([]string, f.Len())
		for i := range parts {
			parts[i] = f.Index(i).String()
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(f.Interface())
	}
}
