package server

import (
	"context"
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/reporting/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/interceptor"
)

// TestYearsOutsideTheRangeAreRefused asks every report and export that takes a year for years outside 2000
// to 2100, and for none (0, as a REST call without ?year= sends it): each is refused as invalid input that
// names the field and the range, never a database error. The unary methods are called as the service
// serves them, behind the validation interceptor; the IATI export, a stream, checks its request itself.
func TestYearsOutsideTheRangeAreRefused(t *testing.T) {
	srv := newServer(t)
	srv.opts.IATI = IATIPublisher{Ref: "SE-ON-2021004284", Name: "ICLD", Type: "10"}
	ctx := as(auth.RoleAdmin, "")
	validate := interceptor.Validation().Unary
	unary := func(req proto.Message, call func(context.Context) (any, error)) error {
		_, err := validate(ctx, req, &grpc.UnaryServerInfo{FullMethod: "/reporting"}, func(ctx context.Context, _ any) (any, error) {
			return call(ctx)
		})
		return err
	}
	methods := map[string]func(year int32) error{
		"GetPortfolioReport": func(y int32) error {
			req := &pb.GetPortfolioReportRequest{Year: y}
			return unary(req, func(ctx context.Context) (any, error) { return srv.GetPortfolioReport(ctx, req) })
		},
		"ExportPortfolioReport": func(y int32) error {
			req := &pb.GetPortfolioReportRequest{Year: y}
			return unary(req, func(ctx context.Context) (any, error) { return srv.ExportPortfolioReport(ctx, req) })
		},
		"GetComplianceReport": func(y int32) error {
			req := &pb.GetComplianceReportRequest{Year: y}
			return unary(req, func(ctx context.Context) (any, error) { return srv.GetComplianceReport(ctx, req) })
		},
		"ExportComplianceReport": func(y int32) error {
			req := &pb.GetComplianceReportRequest{Year: y}
			return unary(req, func(ctx context.Context) (any, error) { return srv.ExportComplianceReport(ctx, req) })
		},
		"ExportIati": func(y int32) error {
			// As gRPC serves a server stream: the handler receives its one request through the chain's stream.
			in := &requestStream{collect: collect{ctx: ctx}, req: &pb.ExportIatiRequest{Year: y}}
			return interceptor.Validation().Stream(srv, in, &grpc.StreamServerInfo{FullMethod: "/reporting"}, func(_ any, stream grpc.ServerStream) error {
				req := &pb.ExportIatiRequest{}
				if err := stream.RecvMsg(req); err != nil {
					return err
				}
				return srv.ExportIati(req, in)
			})
		},
	}
	for name, call := range methods {
		t.Run(name, func(t *testing.T) {
			for _, year := range []int32{0, -2026, 1999, 2101, 20260} {
				err := call(year)
				var invalid *fault.Invalid
				if !errors.As(err, &invalid) || len(invalid.Violations) != 1 {
					t.Errorf("year %d: %v; want invalid input", year, err)
					continue
				}
				if v := invalid.Violations[0]; v.Field != "year" || !strings.Contains(v.Description, "2000") || !strings.Contains(v.Description, "2100") {
					t.Errorf("year %d: %+v; want the field year and the range 2000 to 2100", year, v)
				}
			}
			// The range's ends are years; the IATI export of a year with nothing funded is NOT_FOUND.
			for _, year := range []int32{2000, 2026, 2100} {
				var notFound *fault.NotFound
				if err := call(year); err != nil && !errors.As(err, &notFound) {
					t.Errorf("year %d: %v", year, err)
				}
			}
		})
	}
}

// requestStream is a server stream whose client sent req.
type requestStream struct {
	collect
	req proto.Message
}

func (s *requestStream) RecvMsg(m any) error {
	proto.Merge(m.(proto.Message), s.req)
	return nil
}
