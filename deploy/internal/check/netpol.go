package check

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// endpoint is one side of a connection: a pod here (with its workload) or a pod elsewhere.
type endpoint struct {
	name      string
	namespace string
	nsLabels  map[string]string
	labels    map[string]string
	w         *workload // nil outside the rendered namespace
}

// checkNetworkPolicies wants a default deny, a policy admitting traffic to every long-running pod, and
// exactly the connections the suite needs, evaluated the way the API server's NetworkPolicy semantics
// define them: each caller reaches the gRPC port of each service it calls and nothing else of it; the
// ingress controller reaches the gateway's HTTP port only; Prometheus reaches metrics ports only; database
// clients, and only they, reach PostgreSQL; every pod reaches DNS, and nothing else outside.
func (s *Set) checkNetworkPolicies(o Options) []error {
	var errs []error
	namespaces := map[string]bool{}
	for _, w := range s.workloads() {
		namespaces[w.namespace] = true
	}
	for ns := range namespaces {
		if !s.hasDefaultDeny(ns) {
			errs = append(errs, fmt.Errorf("namespace %s: no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)", ns))
		}
	}
	ws := s.workloads()
	for i := range ws {
		w := &ws[i]
		if w.serving && !s.admitted(w) {
			errs = append(errs, errorf(w.id, "no NetworkPolicy admits traffic to its pods"))
		}
	}
	return append(errs, s.checkConnections(o)...)
}

func (s *Set) hasDefaultDeny(ns string) bool {
	for _, p := range s.NetworkPolicies {
		if p.Namespace == ns && len(p.Spec.PodSelector.MatchLabels)+len(p.Spec.PodSelector.MatchExpressions) == 0 &&
			hasType(p, networkingv1.PolicyTypeIngress) && hasType(p, networkingv1.PolicyTypeEgress) &&
			len(p.Spec.Ingress)+len(p.Spec.Egress) == 0 {
			return true
		}
	}
	return false
}

func (s *Set) admitted(w *workload) bool {
	for _, p := range s.NetworkPolicies {
		if p.Namespace == w.namespace && len(p.Spec.Ingress) > 0 && selects(&p.Spec.PodSelector, w.template.Labels) {
			return true
		}
	}
	return false
}

func (s *Set) checkConnections(o Options) []error {
	var errs []error
	var here []endpoint
	ws := s.workloads()
	for i := range ws {
		w := &ws[i]
		here = append(here, endpoint{name: w.id, namespace: w.namespace, nsLabels: s.namespaceLabels(w.namespace), labels: w.template.Labels, w: w})
	}
	elsewhere := func(ns string, lbl map[string]string) endpoint {
		return endpoint{name: "a pod in namespace " + ns, namespace: ns, nsLabels: map[string]string{"kubernetes.io/metadata.name": ns}, labels: lbl}
	}
	ingress := elsewhere(o.IngressNamespace, nil)
	monitoring := elsewhere(o.MonitoringNamespace, nil)
	dns := elsewhere("kube-system", map[string]string{"k8s-app": "kube-dns"})
	internet := elsewhere("somewhere-else", nil)
	database := elsewhere("database", nil)
	for _, e := range here {
		if e.w.name == "postgresql" {
			database = e
		}
	}
	expect := func(from, to endpoint, proto corev1.Protocol, port int32, want bool) {
		if got := s.allowed(from, to, proto, port); got != want {
			verb := map[bool]string{true: "cannot", false: "can"}[want]
			errs = append(errs, fmt.Errorf("NetworkPolicy: %s %s reach %s on %s %d", from.name, verb, to.name, proto, port))
		}
	}
	for _, from := range here {
		fromBinary := s.binaryOfWorkload(from.w, o)
		expect(from, dns, corev1.ProtocolUDP, 53, true)
		expect(from, internet, corev1.ProtocolTCP, 443, false)
		if database.w != from.w {
			expect(from, database, corev1.ProtocolTCP, 5432, s.usesDatabase(from.w))
		}
		for _, to := range here {
			if to.w == from.w || !to.w.serving {
				continue
			}
			toBinary := s.binaryOfWorkload(to.w, o)
			for _, port := range declaredPorts(to.w) {
				if to.w == database.w && port.ContainerPort == 5432 {
					continue // checked above
				}
				want := from.w.serving && toBinary != "" && port.Name == "grpc" && s.calls(from.w, fromBinary, toBinary, o)
				expect(from, to, port.Protocol, port.ContainerPort, want)
			}
		}
	}
	for _, to := range here {
		if !to.w.serving {
			continue
		}
		for _, port := range declaredPorts(to.w) {
			expect(monitoring, to, port.Protocol, port.ContainerPort, port.Name == "metrics")
			expect(ingress, to, port.Protocol, port.ContainerPort, port.Name == "http" && s.binaryOfWorkload(to.w, o) == "gateway")
		}
	}
	return errs
}

// calls reports whether binary calls the service callee: it reads a setting for callee's address,
// <CALLEE>_ADDR (the gateway all four services; the network and finance services the partnership service;
// the reporting service the three producers, whose event streams it follows).
func (s *Set) calls(w *workload, binary, callee string, o Options) bool {
	if binary == "" {
		return false
	}
	_, reads := o.Defaults[binary][strings.ToUpper(callee)+"_ADDR"]
	return reads
}

func (s *Set) binaryOfWorkload(w *workload, o Options) string {
	for _, c := range w.template.Spec.Containers {
		if b := binaryOf(c.Image, o); b != "" {
			return b
		}
	}
	return ""
}

// usesDatabase reports whether a workload is a database client: it is given DATABASE_URL.
func (s *Set) usesDatabase(w *workload) bool {
	for _, c := range w.template.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == "DATABASE_URL" {
				return true
			}
		}
	}
	return false
}

func declaredPorts(w *workload) []corev1.ContainerPort {
	var ports []corev1.ContainerPort
	for _, c := range w.template.Spec.Containers {
		for _, p := range c.Ports {
			if p.Protocol == "" {
				p.Protocol = corev1.ProtocolTCP
			}
			ports = append(ports, p)
		}
	}
	return ports
}

func (s *Set) namespaceLabels(ns string) map[string]string {
	lbl := map[string]string{"kubernetes.io/metadata.name": ns}
	for _, n := range s.Namespaces {
		if n.Name == ns {
			for k, v := range n.Labels {
				lbl[k] = v
			}
		}
	}
	return lbl
}

// allowed reports whether from may open a connection to port of to: the policies of from's namespace must
// let it out (when any selects it for egress) and those of to's namespace must let it in (likewise).
// Only policies rendered here count; pods elsewhere are taken to be unrestricted on their side.
func (s *Set) allowed(from, to endpoint, proto corev1.Protocol, port int32) bool {
	if from.w != nil && !s.passes(from, to, networkingv1.PolicyTypeEgress, proto, port) {
		return false
	}
	return to.w == nil || s.passes(to, from, networkingv1.PolicyTypeIngress, proto, port)
}

// passes evaluates the policies selecting self for one direction; peer is the other end.
func (s *Set) passes(self, peer endpoint, dir networkingv1.PolicyType, proto corev1.Protocol, port int32) bool {
	isolated := false
	for _, p := range s.NetworkPolicies {
		if p.Namespace != self.namespace || !hasType(p, dir) || !selects(&p.Spec.PodSelector, self.labels) {
			continue
		}
		isolated = true
		if dir == networkingv1.PolicyTypeIngress {
			for _, r := range p.Spec.Ingress {
				if peersMatch(r.From, peer, p.Namespace) && portsMatch(r.Ports, proto, port, self) {
					return true
				}
			}
		} else {
			for _, r := range p.Spec.Egress {
				if peersMatch(r.To, peer, p.Namespace) && portsMatch(r.Ports, proto, port, peer) {
					return true
				}
			}
		}
	}
	return !isolated
}

// hasType applies the API's default: Ingress always, Egress when the policy has egress rules.
func hasType(p *networkingv1.NetworkPolicy, t networkingv1.PolicyType) bool {
	if len(p.Spec.PolicyTypes) == 0 {
		return t == networkingv1.PolicyTypeIngress || len(p.Spec.Egress) > 0
	}
	return slices.Contains(p.Spec.PolicyTypes, t)
}

func peersMatch(peers []networkingv1.NetworkPolicyPeer, e endpoint, policyNS string) bool {
	if len(peers) == 0 {
		return true
	}
	for _, peer := range peers {
		if peer.IPBlock != nil {
			if e.w == nil { // an address range may hold anything outside the namespace
				return true
			}
			continue
		}
		nsOK := e.namespace == policyNS
		if peer.NamespaceSelector != nil {
			nsOK = selects(peer.NamespaceSelector, e.nsLabels)
		}
		podOK := peer.PodSelector == nil || selects(peer.PodSelector, e.labels)
		if nsOK && podOK {
			return true
		}
	}
	return false
}

// portsMatch matches a rule's ports; a named port is looked up on dst, the receiving pod.
func portsMatch(ports []networkingv1.NetworkPolicyPort, proto corev1.Protocol, port int32, dst endpoint) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		want := corev1.ProtocolTCP
		if p.Protocol != nil {
			want = *p.Protocol
		}
		if want != proto {
			continue
		}
		switch {
		case p.Port == nil:
			return true
		case p.Port.StrVal != "":
			if dst.w != nil {
				for _, cp := range declaredPorts(dst.w) {
					if cp.Name == p.Port.StrVal && cp.ContainerPort == port {
						return true
					}
				}
			}
		case p.EndPort != nil:
			if port >= p.Port.IntVal && port <= *p.EndPort {
				return true
			}
		case p.Port.IntVal == port:
			return true
		}
	}
	return false
}
