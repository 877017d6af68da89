package outbox

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"

	"github.com/partnerskap/partnerskap/platform/pgtest"
	"github.com/partnerskap/partnerskap/platform/postgres"
)

// TestRewriteEditsOnlyWhatItChanges rewrites the events of one type that edit changes, in place: the other
// events of that type, and events of other types, are served as they were, under their seq.
func TestRewriteEditsOnlyWhatItChanges(t *testing.T) {
	pool := pgtest.NewPool(t, schema)
	ctx := context.Background()
	written := []proto.Message{
		&eventspb.DocumentChanged{Id: "a", FileName: "anna.pdf"},
		&eventspb.InKindRecorded{Id: "a", Hours: 3},
		&eventspb.DocumentChanged{Id: "b", FileName: "minutes.pdf"},
		&eventspb.DocumentChanged{Id: "a", FileName: "anna.pdf", Public: true},
	}
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		for _, m := range written {
			if err := Append(ctx, tx, testActor, m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before, err := List(ctx, pool, "partnership", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var changed int
	if err := postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		changed, err = Rewrite(ctx, tx, (*eventspb.DocumentChanged)(nil), func(m proto.Message) bool {
			d := m.(*eventspb.DocumentChanged)
			if d.GetId() != "a" {
				return false
			}
			d.FileName = "erased"
			return true
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if changed != 2 {
		t.Errorf("%d events changed, want 2", changed)
	}
	after, err := List(ctx, pool, "partnership", 0, 10)
	if err != nil || len(after) != len(written) {
		t.Fatalf("%d events after the rewrite (%v)", len(after), err)
	}
	want := []proto.Message{
		&eventspb.DocumentChanged{Id: "a", FileName: "erased"},
		&eventspb.InKindRecorded{Id: "a", Hours: 3},
		&eventspb.DocumentChanged{Id: "b", FileName: "minutes.pdf"},
		&eventspb.DocumentChanged{Id: "a", FileName: "erased", Public: true},
	}
	for i, e := range after {
		got, err := e.GetPayload().UnmarshalNew()
		if err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(got, want[i]) || e.GetSeq() != before[i].GetSeq() || e.GetId() != before[i].GetId() {
			t.Errorf("event %d: %v (seq %d, id %s), want %v (seq %d, id %s)", i, got, e.GetSeq(), e.GetId(), want[i], before[i].GetSeq(), before[i].GetId())
		}
	}
}
