package fieldmask

import (
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/partnerskap/partnerskap/platform/fault"
)

func TestPaths(t *testing.T) {
	// A google.protobuf.Value stands in for a resource: its fields are a oneof of kinds.
	sent := structpb.NewStringValue("x") // sets string_value only
	updatable := []string{"string_value", "number_value", "bool_value"}
	for _, tc := range []struct {
		name string
		mask []string
		want []string
	}{
		{"no mask: the fields the body sets", nil, []string{"string_value"}},
		{"a mask: what it names, once, in its order", []string{"bool_value", "string_value", "bool_value"}, []string{"bool_value", "string_value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mask *fieldmaskpb.FieldMask
			if tc.mask != nil {
				mask = &fieldmaskpb.FieldMask{Paths: tc.mask}
			}
			got, err := Paths(mask, sent, updatable)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("Paths = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	_, err := Paths(&fieldmaskpb.FieldMask{Paths: []string{"list_value"}}, sent, updatable)
	var invalid *fault.Invalid
	if !errors.As(err, &invalid) {
		t.Fatalf("a mask naming a field that cannot change: %v", err)
	}
	if got, _ := Paths(nil, &structpb.Value{}, updatable); len(got) != 0 {
		t.Fatalf("an empty body names %v", got)
	}
}
