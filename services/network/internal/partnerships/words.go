package partnerships

import (
	"strings"

	pb "github.com/partnerskap/partnerskap/proto/gen/partnerskap/partnership/v1"
)

// The partnership service's enums become the lower-case words both services use in data and messages
// (PARTNERSHIP_STATE_INCEPTION is "inception", CLUSTER_EAST_AFRICA is "east_africa").

func stateWord(s pb.PartnershipState) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "PARTNERSHIP_STATE_"))
}

func clusterWord(c pb.Cluster) string {
	return strings.ToLower(strings.TrimPrefix(c.String(), "CLUSTER_"))
}
