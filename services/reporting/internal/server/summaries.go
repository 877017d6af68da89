package server

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	partnershippb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/reporting/internal/store"
)

// ListPartnershipSummaries pages through the summary lines of the partnerships the caller may see, oldest
// first.
func (s *Server) ListPartnershipSummaries(ctx context.Context, req *pb.ListPartnershipSummariesRequest) (*pb.ListPartnershipSummariesResponse, error) {
	filter := store.SummaryFilter{VisibleTo: auth.Caller(ctx).Scope()}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), filter.VisibleTo)
	if err != nil {
		return nil, err
	}
	list, err := store.ListPartnershipSummaries(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPartnershipSummariesResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.PartnershipSummary) string { return x.PartnershipID })
	for _, p := range list {
		resp.Summaries = append(resp.Summaries, &pb.PartnershipSummary{
			PartnershipId: p.PartnershipID, Title: p.Title, State: enumword.Of[partnershippb.PartnershipState](p.State), AsOfTime: timestamppb.New(p.AsOfTime),
		})
	}
	return resp, nil
}
