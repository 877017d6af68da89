package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	eventspb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/events/v1"
	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/network/v1"
	typepb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/type/v1"

	"github.com/partnerskap/partnerskap/platform/civil"
	"github.com/partnerskap/partnerskap/platform/enumword"
	"github.com/partnerskap/partnerskap/platform/outbox"
)

// networkChanged ends every write of a network or its memberships (platform/outbox): the network's whole
// state with the partnerships that are members now, which a consumer may apply twice without harm. Each
// such write holds the network's row lock (LockNetwork, or the insert of a new one), so the members read
// here include every change committed before this one. Activities have no event.
//
// It is the last statement of its transaction's change, as outbox.Append asks (the event's seq is taken there,
// after the change's locks, so events of changes that waited for each other are in the order they were
// made); the event names a, the same actor as the change's audit row.
func networkChanged(ctx context.Context, tx pgx.Tx, n Network, a Actor) error {
	members, err := ListMemberships(ctx, tx, n.ID, "", false)
	if err != nil {
		return err
	}
	e := &eventspb.NetworkChanged{Id: n.ID, DisplayName: n.Name, Theme: n.Theme, Cluster: enumword.Of[typepb.Cluster](string(n.Cluster)),
		State: enumword.Of[pb.NetworkState](string(n.Status)), CohortStart: civil.ToProto(n.CohortStart),
		// Still written beside the enum: a reporting service of the release before reads only the word, and
		// during a rolling upgrade it may be the one consuming.
		//lint:ignore SA1019 written for consumers of the release before, which read nothing else
		LegacyCluster: string(n.Cluster)}
	if !n.CohortStart.IsZero() {
		e.EndDate = civil.ToProto(n.End())
	}
	for _, m := range members {
		e.MemberPartnershipIds = append(e.MemberPartnershipIds, m.PartnershipID)
	}
	return outbox.Append(ctx, tx, a, e)
}
