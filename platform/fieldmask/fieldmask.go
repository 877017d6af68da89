// Package fieldmask reads an update's field mask the way AIP-134 says: the fields named are replaced (a
// named field left out of the body is cleared), fields outside the mask are neither required nor touched, and
// a missing mask means the fields the body sets, never a replacement of the whole resource. Every update
// method of every service reads its mask here, so they all behave alike.
package fieldmask

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// Paths returns the fields an update changes, in the order given. With a mask, each path must be one of
// updatable (top-level field names of sent), or the update is refused naming the updatable ones. Without a
// mask, they are the updatable fields sent sets: a scalar that is not its zero value, a message that is
// present, a list or map that is not empty. An empty answer changes nothing.
func Paths(mask *fieldmaskpb.FieldMask, sent proto.Message, updatable []string) ([]string, error) {
	if len(mask.GetPaths()) == 0 {
		var paths []string
		m := sent.ProtoReflect()
		for _, name := range updatable {
			if fd := m.Descriptor().Fields().ByName(protoreflect.Name(name)); fd != nil && m.Has(fd) {
				paths = append(paths, name)
			}
		}
		return paths, nil
	}
	var paths []string
	for _, p := range mask.GetPaths() {
		if !slices.Contains(updatable, p) {
			return nil, fault.InvalidField("update_mask", fmt.Sprintf("%q cannot be updated; updatable fields: %s", p, strings.Join(updatable, ", ")))
		}
		if !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths, nil
}
