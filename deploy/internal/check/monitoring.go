package check

import (
	"regexp"
)

// namespaceMatcher finds namespace="..." in an alert expression.
var namespaceMatcher = regexp.MustCompile(`namespace="([^"]*)"`)

// checkMonitoring wants the ServiceMonitor to scrape every Service with a metrics port (and only ports its
// Services have), and every alert to carry a severity, a summary and a description, and to watch the
// namespace its PrometheusRule is rendered into: kustomize moves the objects to another namespace but does
// not rewrite PromQL, so a copied overlay would otherwise alert on nothing.
func (s *Set) checkMonitoring(Options) []error {
	var errs []error
	for _, sm := range s.ServiceMonitors {
		id := "ServiceMonitor/" + sm.Namespace + "/" + sm.Name
		for _, svc := range s.Services {
			if svc.Namespace != sm.Namespace {
				continue
			}
			selected := selects(&sm.Spec.Selector, svc.Labels)
			hasMetrics := false
			for _, p := range svc.Spec.Ports {
				hasMetrics = hasMetrics || p.Name == "metrics"
			}
			if hasMetrics && !selected {
				errs = append(errs, errorf(id, "does not select Service %s, which has a metrics port", svc.Name))
			}
			if !selected {
				continue
			}
			for _, ep := range sm.Spec.Endpoints {
				found := false
				for _, p := range svc.Spec.Ports {
					found = found || p.Name == ep.Port
				}
				if !found {
					errs = append(errs, errorf(id, "scrapes port %q, which Service %s does not have", ep.Port, svc.Name))
				}
			}
		}
	}
	for _, pr := range s.PrometheusRules {
		id := "PrometheusRule/" + pr.Namespace + "/" + pr.Name
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				rid := id + ": alert " + r.Alert
				if r.Expr.String() == "" || r.Expr.String() == "0" {
					errs = append(errs, errorf(rid, "has no expression"))
				}
				if sev := r.Labels["severity"]; sev != "warning" && sev != "critical" {
					errs = append(errs, errorf(rid, "severity %q is neither warning nor critical", sev))
				}
				for _, a := range []string{"summary", "description"} {
					if r.Annotations[a] == "" {
						errs = append(errs, errorf(rid, "has no %s annotation", a))
					}
				}
				for _, m := range namespaceMatcher.FindAllStringSubmatch(r.Expr.String(), -1) {
					if m[1] != pr.Namespace {
						errs = append(errs, errorf(rid, "watches namespace %q, but the suite runs in %q", m[1], pr.Namespace))
					}
				}
			}
		}
	}
	return errs
}
