package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"

	"github.com/partnerskap/partnerskap/platform/auth"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/fault"
	"github.com/partnerskap/partnerskap/platform/fieldmask"
	"github.com/partnerskap/partnerskap/platform/httpmeta"
	"github.com/partnerskap/partnerskap/platform/idempotency"
	"github.com/partnerskap/partnerskap/platform/page"
	"github.com/partnerskap/partnerskap/platform/record"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// CreateOrganization registers an organisation after checking it against the programme's rules.
func (s *Server) CreateOrganization(ctx context.Context, req *pb.CreateOrganizationRequest) (*pb.Organization, error) {
	org, err := checkedOrganization(organizationFromProto(req.GetOrganization()))
	if err != nil {
		return nil, err
	}
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.Organization, error) {
		stored, err := store.CreateOrganization(ctx, tx, org, record.ActorFrom(ctx))
		return organizationToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.Created(ctx, out.GetEtag())
	return out, nil
}

// checkedOrganization validates o and normalises its organisation number.
func checkedOrganization(o domain.Organization) (domain.Organization, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	if o.Swedish != nil {
		n, _ := domain.ParseOrgNumber(string(o.Swedish.OrgNumber)) // Validate has parsed it already
		o.Swedish.OrgNumber = n
	}
	return o, nil
}

// GetOrganization returns one organisation; organisations are public bodies, readable by every role.
func (s *Server) GetOrganization(ctx context.Context, req *pb.GetOrganizationRequest) (*pb.Organization, error) {
	o, err := store.GetOrganization(ctx, s.pool, req.GetId())
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, o.ETag())
	return organizationToProto(o), nil
}

// ListOrganizations pages through organisations, oldest first.
func (s *Server) ListOrganizations(ctx context.Context, req *pb.ListOrganizationsRequest) (*pb.ListOrganizationsResponse, error) {
	filter := store.OrganizationFilter{Kind: domain.OrgKind(enumword.Word(req.GetKind())), CountryCode: req.GetCountryCode()}
	cursor, err := page.OpenUUID(req.GetPageSize(), req.GetPageToken(), string(filter.Kind), filter.CountryCode)
	if err != nil {
		return nil, err
	}
	orgs, err := store.ListOrganizations(ctx, s.pool, filter, cursor.After, cursor.Limit())
	if err != nil {
		return nil, err
	}
	resp := &pb.ListOrganizationsResponse{}
	orgs, resp.NextPageToken = page.Close(cursor, orgs, func(o store.Organization) string { return o.ID })
	for _, o := range orgs {
		resp.Organizations = append(resp.Organizations, organizationToProto(o))
	}
	return resp, nil
}

// UpdateOrganization changes the fields in the update mask. A member may change only its own organisation.
func (s *Server) UpdateOrganization(ctx context.Context, req *pb.UpdateOrganizationRequest) (*pb.Organization, error) {
	in := req.GetOrganization()
	if in == nil {
		return nil, required("organization")
	}
	if in.GetId() != "" && in.GetId() != req.GetId() {
		return nil, fault.InvalidField("organization.id", "must match the id in the path, or be left out")
	}
	p := auth.Caller(ctx)
	if p.Role == auth.RoleMember && req.GetId() != p.Org {
		return nil, &fault.PermissionDenied{Reason: "OTHER_ORGANIZATION", Message: "a member may change only its own organisation"}
	}
	paths, err := fieldmask.Paths(req.GetUpdateMask(), in, organizationMask)
	if err != nil {
		return nil, err
	}
	sent := organizationFromProto(in)
	out, err := idempotency.Run(ctx, s.pool, req, idempotency.Public, func(tx pgx.Tx) (*pb.Organization, error) {
		stored, err := store.UpdateOrganization(ctx, tx, req.GetId(), httpmeta.IfMatch(ctx, in.GetEtag()), record.ActorFrom(ctx), func(o *domain.Organization) error {
			if in.GetKind() != pb.OrganizationKind_ORGANIZATION_KIND_UNSPECIFIED && domain.OrgKind(enumword.Word(in.GetKind())) != o.Kind {
				return fault.InvalidField("organization.kind", "the kind of an organisation cannot change; register a new organisation instead")
			}
			before := *o
			applyOrganization(o, sent, paths)
			checked, err := checkedOrganization(*o)
			if err != nil {
				return err
			}
			if changed := domain.IdentityChanges(before, checked); len(changed) > 0 && p.Role.OrgScoped() {
				return &fault.PermissionDenied{Reason: "IDENTITY_FIELD_STAFF_ONLY", Message: fmt.Sprintf(
					"%s: an organisation's legal identity (organisation number, SCB codes, country) is changed by ICLD staff only; "+
						"a %s may change the display name", strings.Join(changed, ", "), p.Role)}
			}
			*o = checked
			return err
		})
		return organizationToProto(stored), err
	})
	if err != nil {
		return nil, err
	}
	httpmeta.ETag(ctx, out.GetEtag())
	return out, nil
}

// organizationMask lists the paths an update may name.
var organizationMask = []string{"display_name", "swedish", "international"}

func applyOrganization(o *domain.Organization, sent domain.Organization, paths []string) {
	for _, path := range paths {
		switch path {
		case "display_name":
			o.Name = sent.Name
		case "swedish":
			o.Swedish = sent.Swedish
		case "international":
			o.International = sent.International
		}
	}
}
