package server

import (
	"context"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/network/internal/domain"
	"github.com/partnerskap/partnerskap/services/network/internal/store"
)

// CreateNetwork creates a planned network.
func (s *Server) CreateNetwork(ctx context.Context, req *pb.CreateNetworkRequest) (*pb.Network, error) {
	n, err := networkFromProto(req.GetNetwork())
	if err != nil {
		return nil, err
	}
	if n.DurationMonths == 0 {
		n.DurationMonths = domain.DefaultDurationMonths
	}
	if err := n.Validate("network"); err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, (*pb.Network).GetId), func(tx pgx.Tx) (*pb.Network, error) {
		stored, err := store.CreateNetwork(ctx, tx, n, record.ActorFrom(ctx))
		return networkToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// GetNetwork returns one network the caller may see.
func (s *Server) GetNetwork(ctx context.Context, req *pb.GetNetworkRequest) (*pb.Network, error) {
	n, err := store.GetNetwork(ctx, s.pool, req.GetId(), auth.Caller(ctx).Scope())
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, record.ETag(n.Version))
	return networkToProto(n), nil
}

// ListNetworks pages through the networks the caller may see, oldest first.
func (s *Server) ListNetworks(ctx context.Context, req *pb.ListNetworksRequest) (*pb.ListNetworksResponse, error) {
	filter := store.NetworkFilter{VisibleTo: auth.Caller(ctx).Scope()}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), filter.VisibleTo)
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

// networkMask lists the paths an update may name.
var networkMask = []string{"display_name", "theme", "coordinator", "research_advisor", "experts", "communication_contact", "cohort_start", "duration_months"}

// UpdateNetwork changes the fields in the update mask; the cohort's dates only before it runs.
func (s *Server) UpdateNetwork(ctx context.Context, req *pb.UpdateNetworkRequest) (*pb.Network, error) {
	in := req.GetNetwork()
	if in == nil {
		return nil, fault.InvalidField("network", "network is required")
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, networkMask)
	if err != nil {
		return nil, err
	}
	sent, err := networkFromProto(in)
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, (*pb.Network).GetId), func(tx pgx.Tx) (*pb.Network, error) {
		current, err := store.LockNetwork(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()))
		if err != nil {
			return nil, err
		}
		if err := mayManage(ctx, current); err != nil {
			return nil, err
		}
		next := current.Network
		for _, p := range paths {
			if (p == "cohort_start" || p == "duration_months") && (next.Status == domain.StatusRunning || next.Status == domain.StatusClosed) {
				return nil, fault.InvalidField("network."+p, "the cohort's dates cannot change once the network runs")
			}
			apply(&next, sent, p)
		}
		if err := next.Validate("network"); err != nil {
			return nil, err
		}
		stored, err := store.SaveNetwork(ctx, tx, next, "update", record.ActorFrom(ctx))
		return networkToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

func apply(n *domain.Network, sent domain.Network, path string) {
	switch path {
	case "display_name":
		n.Name = sent.Name
	case "theme":
		n.Theme = sent.Theme
	case "coordinator":
		n.CoordinatorSubject = sent.CoordinatorSubject
	case "research_advisor":
		n.ResearchAdvisor = sent.ResearchAdvisor
	case "experts":
		n.Experts = sent.Experts
	case "communication_contact":
		n.CommunicationContact = sent.CommunicationContact
	case "cohort_start":
		n.CohortStart = sent.CohortStart
	case "duration_months":
		n.DurationMonths = sent.DurationMonths
	}
}

// OpenNetwork opens a planned network for recruiting.
func (s *Server) OpenNetwork(ctx context.Context, req *pb.TransitionNetworkRequest) (*pb.Network, error) {
	return s.step(ctx, req, domain.StepOpen)
}

// StartNetwork starts a recruiting network's work.
func (s *Server) StartNetwork(ctx context.Context, req *pb.TransitionNetworkRequest) (*pb.Network, error) {
	return s.step(ctx, req, domain.StepStart)
}

// CloseNetwork closes a network.
func (s *Server) CloseNetwork(ctx context.Context, req *pb.TransitionNetworkRequest) (*pb.Network, error) {
	return s.step(ctx, req, domain.StepClose)
}

func (s *Server) step(ctx context.Context, req *pb.TransitionNetworkRequest, step domain.Step) (*pb.Network, error) {
	out, err := idempotency.Run(ctx, s.pool, req, seesNetwork(ctx, (*pb.Network).GetId), func(tx pgx.Tx) (*pb.Network, error) {
		current, err := store.LockNetwork(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, req.GetEtag()))
		if err != nil {
			return nil, err
		}
		if err := mayManage(ctx, current); err != nil {
			return nil, err
		}
		next := current.Network
		if next.Status, err = domain.ApplyStep(current.Status, step); err != nil {
			return nil, err
		}
		stored, err := store.SaveNetwork(ctx, tx, next, string(step), record.ActorFrom(ctx))
		return networkToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// seesNetwork re-authorizes a replayed answer (platform/idempotency): the caller must still see the network
// id names, or it gets NOT_FOUND as a fresh call would.
func seesNetwork[T proto.Message](ctx context.Context, id func(T) string) idempotency.Check[T] {
	return func(tx pgx.Tx, answer T) error {
		_, err := store.GetNetwork(ctx, tx, id(answer), auth.Caller(ctx).Scope())
		return err
	}
}
