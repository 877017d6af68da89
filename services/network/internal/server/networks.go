package server

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// ListNetworks pages through the networks the caller may see, oldest first.
func (s *Server) ListNetworks(ctx context.Context, req *pb.ListNetworksRequest) (*pb.ListNetworksResponse, error) {
	scope, ok := visibleTo(ctx)
	if !ok {
		return &pb.ListNetworksResponse{}, nil
	}
	filter := store.NetworkFilter{VisibleTo: scope}
	// The scope is part of the fingerprint so that a token cannot carry one caller's position into another's list.
	fingerprint := page.Fingerprint(filter.VisibleTo)
	after, err := page.Decode(req.GetPageToken(), fingerprint)
	if err != nil {
		return nil, err
	}
	size := page.Size(req.GetPageSize())
	list, err := store.ListNetworks(ctx, s.pool, filter, after, size+1)
	if err != nil {
		return nil, err
	}
	resp := &pb.ListNetworksResponse{}
	if len(list) > size {
		list = list[:size]
		resp.NextPageToken = page.Encode(list[size-1].ID, fingerprint)
	}
	for _, n := range list {
		resp.Networks = append(resp.Networks, networkToProto(n))
	}
	return resp, nil
}

func networkToProto(n store.Network) *pb.Network {
	return &pb.Network{
		Id: n.ID, DisplayName: n.DisplayName, Theme: n.Theme,
		CreateTime: timestamppb.New(n.CreateTime), UpdateTime: timestamppb.New(n.UpdateTime), Creator: n.Creator,
	}
}
