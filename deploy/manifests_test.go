package deploy_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnerskap/partnerskap/deploy/internal/check"
	"github.com/partnerskap/partnerskap/deploy/internal/render"
)

func decode(t *testing.T, objs []render.Object, err error) *check.Set {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	s, err := check.Decode(objs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOverlaysKeepEveryRule(t *testing.T) {
	for dir, production := range overlays {
		t.Run(dir, func(t *testing.T) {
			objs, err := render.Dir(dir)
			s := decode(t, objs, err)
			if err := check.Run(s, options(production)); err != nil {
				t.Errorf("%s breaks the rules:\n%v", dir, err)
			}
			if len(s.Deployments) != 6 || len(s.Jobs) != 5 {
				t.Errorf("%s renders %d Deployments and %d Jobs, want 6 and 5", dir, len(s.Deployments), len(s.Jobs))
			}
		})
	}
}

// The issue asks for alerts on a service not serving, on the error rate and on the reporting service's
// event lag.
func TestProductionAlerts(t *testing.T) {
	objs, err := render.Dir("overlays/production")
	s := decode(t, objs, err)
	var alerts []string
	for _, pr := range s.PrometheusRules {
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				alerts = append(alerts, r.Alert)
			}
		}
	}
	for _, want := range []string{"PartnerskapServiceNotServing", "PartnerskapHighErrorRate", "PartnerskapReportingEventLag"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s among %v", want, alerts)
		}
	}
	if len(s.ServiceMonitors) != 1 {
		t.Errorf("%d ServiceMonitors, want 1", len(s.ServiceMonitors))
	}
}

// Each case breaks one thing in a copy of the manifests; the checks must name it.
func TestBrokenManifestsAreCaught(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, overlay, file, old, new, want string
	}{
		{"security context missing a field", "production", "base/finance/deployment.yaml",
			"            readOnlyRootFilesystem: true\n", "",
			"Deployment/partnerskap/finance: container finance: securityContext: readOnlyRootFilesystem is not true"},
		{"misspelt field", "production", "base/network/deployment.yaml",
			"readinessProbe:", "readynessProbe:",
			`Deployment/partnerskap/network: unknown field "spec.template.spec.containers[0].readynessProbe"`},
		{"field in the wrong case", "dev", "base/gateway/service.yaml",
			"targetPort: http", "targetport: http",
			`Service/partnerskap-dev/gateway: unknown field "spec.ports[0].targetport"`},
		{"container port not the one the binary listens on", "production", "base/partnership/deployment.yaml",
			"containerPort: 9091", "containerPort: 9095",
			`Deployment/partnerskap/partnership: container partnership: GRPC_ADDR listens on port 9091, but container port "grpc" is 9095`},
		{"gateway on its loopback default", "dev", "base/kustomization.yaml",
			"- HTTP_ADDR=:8080\n", "",
			`Deployment/partnerskap-dev/gateway: container gateway: HTTP_ADDR="127.0.0.1:8080" listens on one address only`},
		{"gateway pointed at the metrics port", "production", "base/kustomization.yaml",
			"FINANCE_ADDR=finance:9093", "FINANCE_ADDR=finance:9193",
			`FINANCE_ADDR="finance:9193" reaches port 9193 of finance, but its gRPC server listens on 9093`},
		{"liveness follows the database", "production", "base/reporting/deployment.yaml",
			"livenessProbe:\n            grpc:\n              port: 9094\n              service: liveness", "livenessProbe:\n            grpc:\n              port: 9094",
			"Deployment/partnerskap/reporting: container reporting: livenessProbe asks the server's gRPC health"},
		{"no probes", "dev", "base/network/deployment.yaml",
			"          startupProbe:\n", "          x-startupProbe:\n",
			`unknown field "spec.template.spec.containers[0].x-startupProbe"`},
		{"no limit", "production", "base/network/deployment.yaml",
			"            limits:\n              cpu: \"1\"\n              memory: 512Mi\n", "",
			"Deployment/partnerskap/network: container network: has no cpu limit"},
		{"secret in a ConfigMap", "production", "base/kustomization.yaml",
			"      - LOG_LEVEL=info\n      # On SIGTERM", "      - LOG_LEVEL=info\n      - DATABASE_URL=postgres://app:hunter2@db/x\n      # On SIGTERM",
			"DATABASE_URL looks like a secret"},
		{"image tag latest", "production", "overlays/production/kustomization.yaml",
			"{name: partnerskap/gateway, newTag: 0.1.0}", "{name: partnerskap/gateway, newTag: latest}",
			"image partnerskap/gateway:latest uses the tag latest"},
		{"rollout may drop a pod", "production", "base/gateway/deployment.yaml",
			"maxUnavailable: 0", "maxUnavailable: 1",
			"Deployment/partnerskap/gateway: rolling update may go below the wanted replicas"},
		{"grace shorter than the shutdown", "production", "base/partnership/deployment.yaml",
			"terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 10",
			"Deployment/partnerskap/partnership: terminationGracePeriodSeconds 10 is shorter"},
		{"no disruption budgets", "production", "overlays/production/kustomization.yaml",
			"  - poddisruptionbudgets.yaml\n", "",
			"Deployment/partnerskap/reporting: has no PodDisruptionBudget"},
		{"no autoscaler", "production", "overlays/production/kustomization.yaml",
			"  - horizontalpodautoscalers.yaml\n", "",
			"Deployment/partnerskap/finance: has no HorizontalPodAutoscaler"},
		{"no default deny", "production", "base/common/kustomization.yaml",
			"  - networkpolicy-default-deny.yaml\n", "",
			"namespace partnerskap: no default-deny NetworkPolicy"},
		{"metrics rule open to every port", "production", "base/finance/networkpolicy.yaml",
			"        - {protocol: TCP, port: 9193}\n", "",
			"NetworkPolicy: a pod in namespace monitoring can reach Deployment/partnerskap/finance on TCP 9093"},
		{"the gateway cut off from a service", "dev", "base/gateway/networkpolicy.yaml",
			"              app.kubernetes.io/name: network\n", "              app.kubernetes.io/name: networks\n",
			"NetworkPolicy: Deployment/partnerskap-dev/gateway cannot reach Deployment/partnerskap-dev/network on TCP 9092"},
		{"egress open to everything", "production", "base/common/networkpolicy-postgresql.yaml",
			"  egress:\n    - ports:\n        - {protocol: TCP, port: 5432}\n", "  egress:\n    - {}\n",
			"NetworkPolicy: Job/partnerskap/finance-migrate can reach a pod in namespace somewhere-else on TCP 443"},
		{"alerts on another namespace", "production", "overlays/production/kustomization.yaml",
			"namespace: partnerskap\n", "namespace: partnerskap-prod\n",
			`alert PartnerskapServiceNotServing: watches namespace "partnerskap", but the suite runs in "partnerskap-prod"`},
		{"a key file that is not mounted", "dev", "overlays/dev/kustomization.yaml",
			"          mountPath: /etc/partnerskap/dev-signing-key\n", "          mountPath: /etc/partnerskap/signing-key\n",
			"Deployment/partnerskap-dev/partnership: container partnership: AUTH_DEV_KEY_FILE=/etc/partnerskap/dev-signing-key/key.pem lies in no mounted volume"},
		{"a misspelt setting", "production", "base/kustomization.yaml",
			"- MIGRATE_ON_START=false", "- MIGRATE_ON_STRAT=false",
			"Deployment/partnerskap/finance: container finance: MIGRATE_ON_STRAT (from ConfigMap services-"},
		{"a service's address missing", "production", "base/kustomization.yaml",
			"      - PARTNERSHIP_ADDR=partnership:9091\n", "",
			`Deployment/partnerskap/network: container network: PARTNERSHIP_ADDR="127.0.0.1:9091" names no Service`},
		{"a producer's address missing", "production", "base/kustomization.yaml",
			"      - NETWORK_ADDR=network:9092\n      - FINANCE_ADDR=finance:9093\n  - name: gateway", "      - FINANCE_ADDR=finance:9093\n  - name: gateway",
			`Deployment/partnerskap/notification: container notification: NETWORK_ADDR="127.0.0.1:9092" names no Service`},
		{"reporting cut off from a producer", "dev", "base/reporting/networkpolicy.yaml",
			"              app.kubernetes.io/name: finance\n", "              app.kubernetes.io/name: finances\n",
			"NetworkPolicy: Deployment/partnerskap-dev/reporting cannot reach Deployment/partnerskap-dev/finance on TCP 9093"},
		{"a producer not admitting reporting", "production", "base/partnership/networkpolicy.yaml",
			"              app.kubernetes.io/name: reporting\n", "              app.kubernetes.io/name: reports\n",
			"NetworkPolicy: Deployment/partnerskap/reporting cannot reach Deployment/partnerskap/partnership on TCP 9091"},
		{"reporting without its own token in oidc", "production", "overlays/production/kustomization.yaml",
			"- SERVICE_TOKEN_FILE=/etc/partnerskap/service-token/token", "- IATI_REPORTING_ORG_NAME=ICLD",
			"Deployment/partnerskap/reporting: container reporting: AUTH_MODE=oidc without SERVICE_TOKEN_FILE"},
		{"the service token not mounted", "production", "overlays/production/kustomization.yaml",
			"          mountPath: /etc/partnerskap/service-token\n", "          mountPath: /etc/partnerskap/token\n",
			"Deployment/partnerskap/reporting: container reporting: SERVICE_TOKEN_FILE=/etc/partnerskap/service-token/token lies in no mounted volume"},
		{"the service token mounted writable", "production", "overlays/production/kustomization.yaml",
			"          mountPath: /etc/partnerskap/service-token\n          readOnly: true\n", "          mountPath: /etc/partnerskap/service-token\n",
			"Deployment/partnerskap/reporting: container reporting: mounts Secret volume service-token writable"},
		{"a token mounted", "dev", "base/gateway/deployment.yaml",
			"      automountServiceAccountToken: false\n", "      automountServiceAccountToken: true\n",
			"Deployment/partnerskap-dev/gateway: mounts a service account token it does not need"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fsys, err := render.Copy(root)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(root, tc.file)
			data, err := fsys.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), tc.old) {
				t.Fatalf("%s does not contain %q; update the case", tc.file, tc.old)
			}
			if err := fsys.WriteFile(path, []byte(strings.Replace(string(data), tc.old, tc.new, 1))); err != nil {
				t.Fatal(err)
			}
			objs, err := render.FS(fsys, filepath.Join(root, "overlays", tc.overlay))
			if err != nil {
				t.Fatal(err)
			}
			s, err := check.Decode(objs)
			if err == nil {
				err = check.Run(s, options(tc.overlay == "production"))
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("the checks did not say %q; they said:\n%v", tc.want, err)
			}
		})
	}
}

// The operator guide must name every Secret the production manifests expect, and the metrics the alerts
// define for the reporting service, and every setting of every binary with its default.
func TestREADMECoversWhatOperatorsMustKnow(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	objs, err := render.Dir("overlays/production")
	s := decode(t, objs, err)
	for _, name := range s.ReferencedSecrets() {
		if !strings.Contains(readme, "`"+name+"`") {
			t.Errorf("README.md does not name the Secret `%s`, which production expects", name)
		}
	}
	for _, metric := range []string{"partnerskap_reporting_event_lag_seconds", "partnerskap_reporting_events_parked_total"} {
		if !strings.Contains(readme, "`"+metric+"`") {
			t.Errorf("README.md does not specify the metric `%s` the alerts use", metric)
		}
	}
	// Every row of partnership's and the gateway's settings, and of the settings other services have
	// beyond partnership's (whose per-service defaults, ports and database name, the README explains).
	for binary, vars := range defaults {
		for variable, def := range vars {
			if _, shared := defaults["partnership"][variable]; shared && binary != "partnership" && binary != "gateway" {
				continue
			}
			if def == "" {
				def = "(empty)"
			}
			if !strings.Contains(readme, "| `"+variable+"` | `"+def+"` |") {
				t.Errorf("README.md has no row | `%s` | `%s` | (%s's default); add it under Settings", variable, def, binary)
			}
		}
	}
	for binary, vars := range defaults {
		for variable := range vars {
			if !strings.Contains(readme, "`"+variable+"`") {
				t.Errorf("README.md does not mention %s's setting `%s`", binary, variable)
			}
		}
	}
}
