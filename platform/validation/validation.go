// Package validation checks messages against the protovalidate rules written in the protos and reports every
// broken rule as a fault.Invalid naming the field, so the API's field rules live in one place: the .proto.
package validation

import (
	"errors"
	"strings"
	"sync"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/partnerskap/partnerskap/platform/fault"
)

var (
	once      sync.Once
	validator protovalidate.Validator
	initErr   error
)

// Check validates msg. Field paths in the result are prefixed with prefix and a dot when prefix is not empty,
// so a resource checked on its own after an update reports "partnership.title" like a create does.
func Check(msg proto.Message, prefix string) error {
	once.Do(func() { validator, initErr = protovalidate.New() })
	if initErr != nil {
		return initErr
	}
	err := validator.Validate(msg)
	if err == nil {
		return nil
	}
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		// A compilation or runtime error in a rule is our bug, not the caller's.
		return err
	}
	invalid := &fault.Invalid{Reason: "INVALID_ARGUMENT"}
	for _, v := range verr.Violations {
		field := protovalidate.FieldPathString(v.Proto.GetField())
		if prefix != "" {
			field = prefix + "." + field
		}
		invalid.Add(field, describe(v))
	}
	return invalid
}

// describe says what a broken rule asks for in words a client can act on. protovalidate's own message for an
// enum rule is about numbers ("must not be in list [0]"); a client sends names, so it gets the names allowed.
func describe(v *protovalidate.Violation) string {
	rule := v.Proto.GetRuleId()
	if rule == "string.in" && v.RuleValue.IsValid() {
		var allowed []string
		for i := range v.RuleValue.List().Len() {
			allowed = append(allowed, v.RuleValue.List().Get(i).String())
		}
		return "must be one of " + strings.Join(allowed, ", ")
	}
	fd := v.FieldDescriptor
	if fd == nil || fd.Kind() != protoreflect.EnumKind {
		return v.Proto.GetMessage()
	}
	if rule != "required" && !strings.HasPrefix(rule, "enum.") && !strings.HasPrefix(rule, "repeated.items") {
		return v.Proto.GetMessage()
	}
	values := fd.Enum().Values()
	allowed := func(n protoreflect.EnumNumber) bool { return n != 0 } // zero means "not set" in every enum of this API
	if rule == "enum.in" && v.RuleValue.IsValid() {
		in := v.RuleValue.List()
		allowed = func(n protoreflect.EnumNumber) bool {
			for i := range in.Len() {
				if protoreflect.EnumNumber(in.Get(i).Int()) == n {
					return true
				}
			}
			return false
		}
	}
	var names []string
	for i := range values.Len() {
		if allowed(values.Get(i).Number()) {
			names = append(names, string(values.Get(i).Name()))
		}
	}
	return "must be one of " + strings.Join(names, ", ")
}
