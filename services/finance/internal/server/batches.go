package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"google.golang.org/genproto/googleapis/api/httpbody"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/finance/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/finance/internal/domain"
	"github.com/partnerskap/partnerskap/services/finance/internal/money"
	"github.com/partnerskap/partnerskap/services/finance/internal/store"
)

// CreatePaymentBatch gathers approved claims into an open batch.
func (s *Server) CreatePaymentBatch(ctx context.Context, req *pb.CreatePaymentBatchRequest) (*pb.PaymentBatch, error) {
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.PaymentBatch, error) {
		b, err := store.CreateBatch(ctx, tx, req.GetBatch().GetClaimIds(), actor(ctx))
		return batchToProto(b), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetPaymentBatch returns one batch.
func (s *Server) GetPaymentBatch(ctx context.Context, req *pb.GetPaymentBatchRequest) (*pb.PaymentBatch, error) {
	b, err := store.GetBatch(ctx, s.pool, req.GetId())
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, b.ETag())
	return batchToProto(b), nil
}

// ListPaymentBatches pages through batches, oldest first.
func (s *Server) ListPaymentBatches(ctx context.Context, req *pb.ListPaymentBatchesRequest) (*pb.ListPaymentBatchesResponse, error) {
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	list, err := store.ListBatches(ctx, s.pool, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPaymentBatchesResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.Batch) string { return x.ID })
	for _, b := range list {
		resp.Batches = append(resp.Batches, batchToProto(b))
	}
	return resp, nil
}

// PayPaymentBatch records that an open batch was paid.
func (s *Server) PayPaymentBatch(ctx context.Context, req *pb.PayPaymentBatchRequest) (*pb.PaymentBatch, error) {
	day, err := civil.FromProto("pay_date", req.GetPayDate())
	if err != nil {
		return nil, err
	}
	if day.IsZero() {
		day = s.today()
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.PaymentBatch, error) {
		b, err := store.LockBatch(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, req.GetEtag()))
		if err != nil {
			return nil, err
		}
		if b.State != store.BatchOpen {
			msg := fmt.Sprintf("the payment batch was already paid on %s; its claims are paid once", b.PayDate)
			return nil, &fault.FailedPrecondition{Reason: "BATCH_ALREADY_PAID", Message: msg,
				Violations: []fault.PreconditionViolation{{Type: "BATCH_ALREADY_PAID", Subject: "payment_batches/" + b.ID, Description: msg}}}
		}
		byOrg := map[string]money.Amount{}
		for _, p := range b.Payments {
			sum, ok := byOrg[p.OrgID]
			if !ok {
				sum = money.Zero(money.SEK)
			}
			if byOrg[p.OrgID], err = sum.Add(p.Amount); err != nil {
				return nil, money.Invalid(err, "payments")
			}
		}
		postings, err := domain.PaymentPostings(byOrg)
		if err != nil {
			return nil, err
		}
		entry := ledgerEntry(ctx, fmt.Sprintf("payment batch %s paid on %s", b.ID, day), postings)
		b, err = store.PayBatch(ctx, tx, b, day, *entry, actor(ctx))
		return batchToProto(b), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// ExportPaymentBatch writes a batch as CSV, or as an SIE 4 file for one receiving municipality.
func (s *Server) ExportPaymentBatch(ctx context.Context, req *pb.ExportPaymentBatchRequest) (*httpbody.HttpBody, error) {
	b, err := store.GetBatch(ctx, s.pool, req.GetId())
	if err != nil {
		return nil, err
	}
	if req.GetFormat() == "sie" {
		return s.exportSIE(ctx, b, req.GetOrganizationId())
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"batch_id", "state", "pay_date", "claim_id", "organization_id", "currency", "amount", "amount_minor"})
	for _, p := range b.Payments {
		payDate := ""
		if !b.PayDate.IsZero() {
			payDate = b.PayDate.String()
		}
		_ = w.Write([]string{b.ID, b.State, payDate, p.ClaimID, p.OrgID, p.Amount.Currency, p.Amount.Decimal(), strconv.FormatInt(p.Amount.Minor, 10)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: "text/csv; charset=utf-8", Data: buf.Bytes()}, nil
}

// exportSIE writes the payments of a paid batch to one organisation as SIE 4, in the PC8 character set the
// format prescribes.
func (s *Server) exportSIE(ctx context.Context, b store.Batch, orgID string) (*httpbody.HttpBody, error) {
	if b.State != store.BatchPaid {
		msg := "an SIE file books money received, so it is made once the batch is paid"
		return nil, &fault.FailedPrecondition{Reason: "BATCH_NOT_PAID", Message: msg,
			Violations: []fault.PreconditionViolation{{Type: "BATCH_NOT_PAID", Subject: "payment_batches/" + b.ID, Description: msg}}}
	}
	orgs := map[string]bool{}
	for _, p := range b.Payments {
		orgs[p.OrgID] = true
	}
	if orgID == "" {
		if len(orgs) != 1 {
			return nil, fault.InvalidField("organization_id", fmt.Sprintf("the batch pays %d organisations; name the one whose SIE file you want", len(orgs)))
		}
		for o := range orgs {
			orgID = o
		}
	}
	if !orgs[orgID] {
		return nil, fault.InvalidField("organization_id", "the batch pays nothing to this organisation")
	}
	name, err := s.apps.OrganizationName(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var payments []domain.BatchPayment
	for _, p := range b.Payments {
		if p.OrgID == orgID {
			payments = append(payments, domain.BatchPayment{ClaimID: p.ClaimID, Date: b.PayDate, Amount: p.Amount})
		}
	}
	var buf bytes.Buffer
	if err := domain.WriteSIE(&buf, domain.PaymentBatchSIE(name, b.ID, s.today(), payments)); err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: "text/plain; charset=IBM437", Data: buf.Bytes()}, nil
}
