package server

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/outbox"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// TestEveryChangeEmitsItsEvent follows a budget to a paid claim and reads the finance stream: one event per
// change, in order, each with the whole state reports need. (Refused changes write none: counts includes
// the outbox in every refusal test.)
func TestEveryChangeEmitsItsEvent(t *testing.T) {
	f := newFixture(t)
	b := approvedBudget(t, f, projectLines())
	c := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 12_000)))
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	batch, err := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{c.GetId()}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.PayPaymentBatch(coordinator, &pb.PayPaymentBatchRequest{Id: batch.GetId(), PayDate: civil.ToProto(civil.Date{Year: 2026, Month: 7, Day: 1})}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.CreateInKindContribution(lusakaStaff, &pb.CreateInKindContributionRequest{Contribution: &pb.InKindContribution{
		BudgetId: b.GetId(), Date: civil.ToProto(civil.Date{Year: 2026, Month: 4, Day: 2}), PersonRole: "officer", Activity: "meeting", Hours: 4}}); err != nil {
		t.Fatal(err)
	}
	events, err := outbox.List(context.Background(), f.pool, "finance", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, string(e.GetPayload().MessageName().Name()))
	}
	want := []string{"BudgetChanged", "BudgetChanged", "BudgetChanged", "ClaimChanged", "ClaimChanged", "ClaimChanged", "ClaimChanged", "InKindRecorded"}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v", kinds, want)
		}
	}
	var approved eventspb.BudgetChanged
	if err := events[2].GetPayload().UnmarshalTo(&approved); err != nil {
		t.Fatal(err)
	}
	if approved.GetState() != pb.BudgetState_BUDGET_STATE_APPROVED || len(approved.GetLines()) != 3 || approved.GetApprovedTotal().GetAmountMinor() != 45_000_000 || approved.GetApproveTime() == nil {
		t.Errorf("approved budget event = %v", &approved)
	}
	var paid eventspb.ClaimChanged
	if err := events[6].GetPayload().UnmarshalTo(&paid); err != nil {
		t.Fatal(err)
	}
	if paid.GetState() != pb.ClaimState_CLAIM_STATE_PAID || paid.GetPayDate().GetMonth() != 7 || paid.GetSubmitTime() == nil ||
		paid.GetLines()[0].GetApproved().GetAmountMinor() != 1_200_000 || paid.GetLines()[0].GetYear() != 2026 {
		t.Errorf("paid claim event = %v", &paid)
	}
}

// TestBackfillWritesTheStateOfAnInstallationFromBeforeTheOutbox empties the outbox of a finance database with
// a paid claim, backfills, and expects the same last snapshot of every budget and claim as the normal path
// wrote; a second backfill adds nothing.
func TestBackfillWritesTheStateOfAnInstallationFromBeforeTheOutbox(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := store.Backfill(ctx, f.pool); err != nil {
		t.Fatal(err)
	}
	if n := counts(t, f)["outbox"]; n != 0 {
		t.Fatalf("an empty installation got %d events", n)
	}
	b := approvedBudget(t, f, projectLines())
	c := submittedClaim(t, f, claimOf(b.GetId(), sekLine("1", "travel-2026", pb.Category_CATEGORY_TRAVEL, 1_000)))
	if _, err := f.srv.ApproveClaim(coordinator, &pb.ApproveClaimRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	batch, _ := f.srv.CreatePaymentBatch(coordinator, &pb.CreatePaymentBatchRequest{Batch: &pb.PaymentBatch{ClaimIds: []string{c.GetId()}}})
	if _, err := f.srv.PayPaymentBatch(coordinator, &pb.PayPaymentBatchRequest{Id: batch.GetId()}); err != nil {
		t.Fatal(err)
	}
	last := func() map[string]proto.Message {
		events, err := outbox.List(ctx, f.pool, "finance", 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]proto.Message{}
		for _, e := range events {
			m, err := e.GetPayload().UnmarshalNew()
			if err != nil {
				t.Fatal(err)
			}
			out[string(m.ProtoReflect().Descriptor().Name())+" "+m.ProtoReflect().Get(m.ProtoReflect().Descriptor().Fields().ByName("id")).String()] = m
		}
		return out
	}
	want := last()
	if _, err := f.pool.Exec(ctx, `DELETE FROM outbox`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Backfill(ctx, f.pool); err != nil {
		t.Fatal(err)
	}
	got := last()
	if len(got) != len(want) {
		t.Fatalf("backfill wrote %d snapshots, want %d", len(got), len(want))
	}
	for k, w := range want {
		if !proto.Equal(got[k], w) {
			t.Errorf("%s after backfill:\n%v\nwant\n%v", k, got[k], w)
		}
	}
	before := counts(t, f)["outbox"]
	if n, err := store.Backfill(ctx, f.pool); err != nil || n != 0 || counts(t, f)["outbox"] != before {
		t.Errorf("a second backfill wrote more events (%v)", err)
	}
}
