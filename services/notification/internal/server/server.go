// Package server is the notification service's gRPC layer: the deadlines gathered from every service, the
// calendar feeds, and the record of the e-mails sent.
package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jackc/pgx/v5/pgxpool"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/notification/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/services/notification/internal/agenda"
	"github.com/partnerskap/partnerskap/services/notification/internal/ical"
	"github.com/partnerskap/partnerskap/services/notification/internal/store"
)

// Sources is what the server asks of the other services.
type Sources interface {
	Deadlines(ctx context.Context, asCaller bool, from, to civil.Date, org string) ([]agenda.Deadline, []string, error)
	Me(ctx context.Context) (string, error)
}

// Server implements partnerskap.notification.v1.NotificationService.
type Server struct {
	pb.UnimplementedNotificationServiceServer
	pool     *pgxpool.Pool
	sources  Sources
	linkBase string
	today    func() civil.Date
}

// New returns a Server on pool asking sources; linkBase is the gateway's address as people reach it.
func New(pool *pgxpool.Pool, sources Sources, linkBase string) *Server {
	return &Server{pool: pool, sources: sources, linkBase: linkBase, today: func() civil.Date { return civil.DateOf(time.Now()) }}
}

// Register adds the service to s.
func Register(s grpc.ServiceRegistrar, srv *Server) { pb.RegisterNotificationServiceServer(s, srv) }

// Spans of deadlines: the default of a list, the longest a list may ask, and a calendar's.
const (
	defaultDays  = 90
	maxDays      = 2*366 + 1
	calendarPast = 31
	calendarDays = 366
)

// ListDeadlines gathers the deadlines of the caller's scope from every service, with the caller's own token.
func (s *Server) ListDeadlines(ctx context.Context, req *pb.ListDeadlinesRequest) (*pb.ListDeadlinesResponse, error) {
	from, err := civil.ParseOptionalDateField(req.GetFrom(), "from")
	if err != nil {
		return nil, err
	}
	to, err := civil.ParseOptionalDateField(req.GetTo(), "to")
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = s.today()
	}
	if to.IsZero() {
		to = from.AddDays(defaultDays)
	}
	switch {
	case to.Before(from):
		return nil, fault.InvalidField("to", fmt.Sprintf("%s is before from, %s", to, from))
	case civil.DaysBetween(from, to) > maxDays:
		return nil, fault.InvalidField("to", "ask for at most two years of deadlines at a time")
	}
	ds, unavailable, err := s.sources.Deadlines(ctx, true, from, to, "")
	if err != nil {
		return nil, err
	}
	resp := &pb.ListDeadlinesResponse{Unavailable: unavailable}
	for _, d := range ds {
		resp.Deadlines = append(resp.Deadlines, deadlineToProto(d))
	}
	return resp, nil
}

func deadlineToProto(d agenda.Deadline) *typepb.Deadline {
	return &typepb.Deadline{Id: d.ID, Kind: enumword.Of[typepb.DeadlineKind](string(d.Kind)), Title: d.Title, DueDate: civil.ToProto(d.Due),
		PartnershipId: d.PartnershipID, OrganizationIds: d.OrgIDs, Responsible: d.Responsible, Resource: d.Resource, Facts: d.Facts}
}

// CreateDeadlineFeed makes a feed token for the caller: the feed shows what the caller's token would.
func (s *Server) CreateDeadlineFeed(ctx context.Context, req *pb.CreateDeadlineFeedRequest) (*pb.DeadlineFeed, error) {
	caller := auth.Caller(ctx)
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	name := req.GetFeed().GetDisplayName()
	if name == "" {
		name = "Partnerskap"
	}
	f, err := store.CreateFeed(ctx, s.pool, store.Feed{Subject: caller.Subject, Role: string(caller.Role), Organization: caller.Org, Name: name}, token)
	if err != nil {
		return nil, err
	}
	out := feedToProto(f)
	out.Token, out.Path = token, "/v1/deadlines.ics?token="+token
	httpmeta.Created(ctx, "")
	return out, nil
}

func feedToProto(f store.Feed) *pb.DeadlineFeed {
	return &pb.DeadlineFeed{Id: f.ID, DisplayName: f.Name, CreateTime: timestamppb.New(f.CreateTime)}
}

// ListDeadlineFeeds lists the caller's feeds.
func (s *Server) ListDeadlineFeeds(ctx context.Context, _ *pb.ListDeadlineFeedsRequest) (*pb.ListDeadlineFeedsResponse, error) {
	fs, err := store.ListFeeds(ctx, s.pool, auth.Caller(ctx).Subject)
	if err != nil {
		return nil, err
	}
	resp := &pb.ListDeadlineFeedsResponse{}
	for _, f := range fs {
		resp.Feeds = append(resp.Feeds, feedToProto(f))
	}
	return resp, nil
}

// DeleteDeadlineFeed revokes one of the caller's feeds.
func (s *Server) DeleteDeadlineFeed(ctx context.Context, req *pb.DeleteDeadlineFeedRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, store.RevokeFeed(ctx, s.pool, auth.Caller(ctx).Subject, req.GetId())
}

// GetDeadlineCalendar serves a feed's deadlines, from a month ago to a year ahead, as iCalendar. The token
// stands for its owner's scope: a member's or partner's organisation, or everything for ICLD's staff; the
// deadlines are read with the service's own identity, narrowed to that organisation.
func (s *Server) GetDeadlineCalendar(ctx context.Context, req *pb.GetDeadlineCalendarRequest) (*httpbody.HttpBody, error) {
	f, err := store.FeedOfToken(ctx, s.pool, req.GetToken())
	if err != nil {
		return nil, err
	}
	org := ""
	if auth.Role(f.Role).OrgScoped() {
		org = f.Organization
	}
	today := s.today()
	ds, unavailable, err := s.sources.Deadlines(ctx, false, today.AddDays(-calendarPast), today.AddDays(calendarDays), org)
	if err != nil {
		return nil, err
	}
	if len(unavailable) > 0 {
		// A calendar replaces its events with each fetch: half a feed would delete the rest from it.
		return nil, &fault.Unavailable{Reason: fault.ServiceUnavailable, Service: unavailable[0],
			Message: "the " + unavailable[0] + " service is unavailable; the calendar keeps its events until the next fetch"}
	}
	return &httpbody.HttpBody{ContentType: "text/calendar; charset=utf-8", Data: ical.Calendar(f.Name, ds, s.linkBase, time.Now())}, nil
}

// ListNotifications lists e-mails: everyone's for admins and auditors, a person's own otherwise.
func (s *Server) ListNotifications(ctx context.Context, req *pb.ListNotificationsRequest) (*pb.ListNotificationsResponse, error) {
	person := ""
	if r := auth.Caller(ctx).Role; r != auth.RoleAdmin && r != auth.RoleAuditor {
		var err error
		if person, err = s.sources.Me(ctx); err != nil {
			if fault.IsNotFound(err) {
				return &pb.ListNotificationsResponse{}, nil // a caller who is no person has no e-mails
			}
			return nil, err
		}
	}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), person)
	if err != nil {
		return nil, err
	}
	ms, err := store.ListMessages(ctx, s.pool, person, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListNotificationsResponse{}
	ms, resp.NextPageToken = page.Close(cursor, ms, func(m store.Message) string { return m.ID })
	for _, m := range ms {
		n := &pb.Notification{Id: m.ID, PersonId: m.PersonID, Kind: enumword.Of[pb.NotificationKind](m.Kind), Subject: m.Subject, Body: m.Body,
			Language: m.Language, State: enumword.Of[pb.DeliveryState](m.State), Attempts: int32(m.Attempts), LastError: m.LastError,
			CreateTime: timestamppb.New(m.CreateTime)}
		if m.SentTime != nil {
			n.SentTime = timestamppb.New(*m.SentTime)
		}
		resp.Notifications = append(resp.Notifications, n)
	}
	return resp, nil
}
