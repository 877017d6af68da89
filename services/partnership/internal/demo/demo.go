// Package demo loads the brochure's two partnerships, with their organisations, into an empty database, so
// that a new user of `make run` has something real to look at.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/partnerskap/partnerskap/platform/civil"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/partnerskap/partnerskap/platform/postgres"
	"github.com/partnerskap/partnerskap/services/partnership/internal/domain"
	"github.com/partnerskap/partnerskap/services/partnership/internal/programme"
	"github.com/partnerskap/partnerskap/services/partnership/internal/store"
)

// actor marks every demo row, so it is never mistaken for a person's work.
var actor = store.Actor{Subject: "demo-data", Role: "admin", RequestID: "demo-data"}

type pair struct {
	swedish, international domain.Organization
	partnership            domain.Partnership
}

var pairs = []pair{
	{
		swedish: domain.Organization{Kind: domain.KindMunicipality, Name: "Malmö stad",
			Swedish: &domain.SwedishDetails{OrgNumber: "2120001124", MunicipalityCode: "1280", CountyCode: "12"}},
		international: domain.Organization{Kind: domain.KindInternationalLocalGovernment, Name: "Lusaka City Council",
			International: &domain.InternationalDetails{CountryCode: "ZM", GovernmentKind: "city council"}},
		partnership: domain.Partnership{
			Title:      "Young people's influence over local environmental questions",
			Challenge:  "Give young people real influence over local environmental decisions, building on the UN Convention on the Rights of the Child; the work produced a digital toolbox.",
			CoreAreas:  []domain.CoreArea{domain.CoreAreaParticipation, domain.CoreAreaEquityInclusion},
			SDGTargets: []string{"16.7", "11.3", "13.3"},
		},
	},
	{
		swedish: domain.Organization{Kind: domain.KindMunicipality, Name: "Växjö kommun",
			Swedish: &domain.SwedishDetails{OrgNumber: "2120000662", MunicipalityCode: "0780", CountyCode: "07"}},
		international: domain.Organization{Kind: domain.KindInternationalLocalGovernment, Name: "An Giang province",
			International: &domain.InternationalDetails{CountryCode: "VN", GovernmentKind: "province"}},
		partnership: domain.Partnership{
			Title:      "Water: democratic processes in technical questions",
			Challenge:  "Develop democratic processes in technical questions of water management, so that residents take part in decisions on water.",
			CoreAreas:  []domain.CoreArea{domain.CoreAreaParticipation, domain.CoreAreaTransparency},
			SDGTargets: []string{"16.7", "6.b"},
			// Vietnam has since left the programme; the partnership keeps the eligibility it had when ICLD
			// decided on it.
			EligibilityDate: programme.Date{Year: 2019, Month: 3, Day: 1},
		},
	},
}

// Load adds the demo data when the database holds no organisation yet; otherwise it does nothing, so it is
// safe at every start. Each organisation and partnership is written by the store, with its event, so a
// consumer reading the stream from the start sees the demo data too.
func Load(ctx context.Context, pool *pgxpool.Pool) error {
	return postgres.InTx(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Serialise concurrent starts: only one loads.
		if _, err := tx.Exec(ctx, `LOCK TABLE organizations IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		// This transaction writes several changes, each with its event.
		if err := store.LockForEvents(ctx, tx); err != nil {
			return err
		}
		var any bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations)`).Scan(&any); err != nil || any {
			return err
		}
		for _, p := range pairs {
			if err := loadPair(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func loadPair(ctx context.Context, tx pgx.Tx, p pair) error {
	for _, o := range []domain.Organization{p.swedish, p.international} {
		if err := o.Validate(); err != nil {
			return fmt.Errorf("demo organisation %s: %w", o.Name, err)
		}
	}
	sw, err := store.CreateOrganization(ctx, tx, p.swedish, actor)
	if err != nil {
		return err
	}
	in, err := store.CreateOrganization(ctx, tx, p.international, actor)
	if err != nil {
		return err
	}
	part := p.partnership
	part.SwedishOrgID, part.InternationalOrgID = sw.ID, in.ID
	if part.EligibilityDate.IsZero() {
		part.EligibilityDate = civil.DateOf(time.Now())
	}
	if err := part.Validate(); err != nil {
		return fmt.Errorf("demo partnership %s: %w", part.Title, err)
	}
	_, err = store.CreatePartnership(ctx, tx, part, actor)
	return err
}
