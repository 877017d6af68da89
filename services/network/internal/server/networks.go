package server

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// ListNetworks pages through the networks the caller may see, oldest first.
func (s *Server) ListNetworks(ctx context.Context, req *pb.ListNetworksRequest) (*pb.ListNetworksResponse, error) {
	filter := store.NetworkFilter{VisibleTo: auth.Caller(ctx).Scope()}
	cursor, err := page.Open(req.GetPageSize(), req.GetPageToken(), filter.VisibleTo)
	if err != nil {
		return nil, err
	}
	list, err := store.ListNetworks(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListNetworksResponse{}
	list, resp.NextPageToken = page.Close(cursor, list, func(x store.Network) string { return x.ID })
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
