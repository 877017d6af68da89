package server

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/partnerskap/partnerskap/platform/fault"
)

// maskPaths returns the paths to update. An empty mask means every updatable field the caller set; a mask
// naming a field that cannot be updated is refused, so a client never believes it changed something it did not.
func maskPaths(mask *fieldmaskpb.FieldMask, sent proto.Message, updatable []string) ([]string, error) {
	if len(mask.GetPaths()) == 0 {
		var paths []string
		m := sent.ProtoReflect()
		for _, name := range updatable {
			fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
			if fd != nil && m.Has(fd) {
				paths = append(paths, name)
			}
		}
		return paths, nil
	}
	for _, p := range mask.GetPaths() {
		if !slices.Contains(updatable, p) {
			return nil, fault.InvalidField("update_mask", fmt.Sprintf("%q cannot be updated; updatable fields: %s", p, strings.Join(updatable, ", ")))
		}
	}
	return mask.GetPaths(), nil
}
