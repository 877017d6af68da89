// Package validation checks messages against the protovalidate rules written in the protos and reports every
// broken rule as a fault.Invalid naming the field, so the API's field rules live in one place: the .proto.
package validation

import (
	"errors"
	"sync"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"

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
		invalid.Add(field, v.Proto.GetMessage())
	}
	return invalid
}
