package check

import (
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// checkProduction wants every Deployment to run at least two replicas under an autoscaler, with a
// disruption budget and a spread over nodes, and the gateway to be reachable through an Ingress.
func (s *Set) checkProduction(o Options) []error {
	var errs []error
	for _, d := range s.Deployments {
		id := "Deployment/" + d.Namespace + "/" + d.Name
		labels := d.Spec.Template.Labels
		if d.Spec.Replicas != nil && *d.Spec.Replicas < 2 {
			errs = append(errs, errorf(id, "runs %d replica(s); production wants two or more", *d.Spec.Replicas))
		}
		scaled := false
		for _, h := range s.HPAs {
			ref := h.Spec.ScaleTargetRef
			if h.Namespace == d.Namespace && ref.Kind == "Deployment" && ref.Name == d.Name {
				scaled = true
				if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 || h.Spec.MaxReplicas < *h.Spec.MinReplicas {
					errs = append(errs, errorf(id, "HorizontalPodAutoscaler %s must keep two replicas or more", h.Name))
				}
			}
		}
		if !scaled {
			errs = append(errs, errorf(id, "has no HorizontalPodAutoscaler"))
		}
		budgeted := false
		for _, pdb := range s.PDBs {
			if pdb.Namespace != d.Namespace || !selects(pdb.Spec.Selector, labels) {
				continue
			}
			budgeted = true
			mu, ma := pdb.Spec.MaxUnavailable, pdb.Spec.MinAvailable
			if mu != nil && (mu.String() == "0" || mu.String() == "0%") || ma != nil && ma.String() == "100%" {
				errs = append(errs, errorf(id, "PodDisruptionBudget %s allows no disruption, which blocks every node drain", pdb.Name))
			}
		}
		if !budgeted {
			errs = append(errs, errorf(id, "has no PodDisruptionBudget"))
		}
		spreadByNode := false
		for _, c := range d.Spec.Template.Spec.TopologySpreadConstraints {
			sel := c.LabelSelector.DeepCopy()
			if sel == nil {
				sel = &metav1.LabelSelector{}
			}
			// matchLabelKeys adds the pod's own value of each key to the selector.
			for _, k := range c.MatchLabelKeys {
				if v, ok := labels[k]; ok {
					if sel.MatchLabels == nil {
						sel.MatchLabels = map[string]string{}
					}
					sel.MatchLabels[k] = v
				}
			}
			if !selects(sel, labels) {
				errs = append(errs, errorf(id, "topology spread on %s does not select its own pods", c.TopologyKey))
			}
			spreadByNode = spreadByNode || c.TopologyKey == "kubernetes.io/hostname"
		}
		if !spreadByNode {
			errs = append(errs, errorf(id, "is not spread over nodes (topologySpreadConstraints on kubernetes.io/hostname)"))
		}
	}
	errs = append(errs, s.checkIngress(o)...)
	return errs
}

// checkIngress wants every Ingress backend to be a Service port that exists, and some Ingress to route
// to the gateway.
func (s *Set) checkIngress(o Options) []error {
	var errs []error
	toGateway := false
	gw := s.deploymentsRunning("gateway", o)
	for _, ing := range s.Ingresses {
		id := "Ingress/" + ing.Namespace + "/" + ing.Name
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				b := p.Backend.Service
				if b == nil {
					continue
				}
				svc := s.service(ing.Namespace, b.Name)
				if svc == nil {
					errs = append(errs, errorf(id, "routes to Service %s, which is not here", b.Name))
					continue
				}
				found := false
				for _, sp := range svc.Spec.Ports {
					found = found || (b.Port.Name != "" && sp.Name == b.Port.Name) || (b.Port.Name == "" && sp.Port == b.Port.Number)
				}
				if !found {
					errs = append(errs, errorf(id, "routes to a port Service %s does not have", b.Name))
				}
				toGateway = toGateway || slices.ContainsFunc(gw, func(l map[string]string) bool { return selectsAll(svc.Spec.Selector, l) })
			}
		}
	}
	if !toGateway {
		errs = append(errs, errorf("Ingress", "none routes to the gateway"))
	}
	return errs
}

func (s *Set) deploymentsRunning(binary string, o Options) []map[string]string {
	var out []map[string]string
	for _, d := range s.Deployments {
		for _, c := range d.Spec.Template.Spec.Containers {
			if binaryOf(c.Image, o) == binary {
				out = append(out, d.Spec.Template.Labels)
			}
		}
	}
	return out
}
