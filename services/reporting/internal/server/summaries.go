package server

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/reporting/internal/store"
)

// ListPartnershipSummaries pages through the summary lines of the partnerships the caller may see, oldest
// first.
func (s *Server) ListPartnershipSummaries(ctx context.Context, req *pb.ListPartnershipSummariesRequest) (*pb.ListPartnershipSummariesResponse, error) {
	scope, ok := visibleTo(ctx)
	if !ok {
		return &pb.ListPartnershipSummariesResponse{}, nil
	}
	filter := store.SummaryFilter{VisibleTo: scope}
	// The scope is part of the fingerprint so that a token cannot carry one caller's position into another's list.
	fingerprint := page.Fingerprint(filter.VisibleTo)
	after, err := page.Decode(req.GetPageToken(), fingerprint)
	if err != nil {
		return nil, err
	}
	size := page.Size(req.GetPageSize())
	list, err := store.ListPartnershipSummaries(ctx, s.pool, filter, after, size+1)
	if err != nil {
		return nil, err
	}
	resp := &pb.ListPartnershipSummariesResponse{}
	if len(list) > size {
		list = list[:size]
		resp.NextPageToken = page.Encode(list[size-1].PartnershipID, fingerprint)
	}
	for _, p := range list {
		resp.Summaries = append(resp.Summaries, &pb.PartnershipSummary{
			PartnershipId: p.PartnershipID, Title: p.Title, State: p.State, AsOfTime: timestamppb.New(p.AsOfTime),
		})
	}
	return resp, nil
}
