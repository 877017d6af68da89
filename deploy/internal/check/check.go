package check

import (
	"errors"
	"fmt"
	"net"
	"path"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/partnerskap/partnerskap/deploy/internal/binaries"
)

// Options say what the checks know beyond the manifests.
type Options struct {
	// Defaults maps each of the suite's binaries (partnership, network, finance, reporting, gateway) to its
	// environment variables and their defaults, as the binary's `env` subcommand prints them. A container
	// runs one of these binaries when its image's last path element is the binary's name. A binary calls
	// exactly the services whose address it reads: <SERVICE>_ADDR.
	Defaults map[string]map[string]string
	// IngressNamespace and MonitoringNamespace are where the ingress controller and Prometheus run.
	IngressNamespace, MonitoringNamespace string
	// Production turns on the rules for a production overlay: replicas, budgets, autoscaling, spreading,
	// an Ingress, and no Secret objects.
	Production bool
}

// listenPorts maps listen settings to the container port name each must be declared under.
var listenPorts = binaries.Listen

// Run checks every rule on s and returns all violations joined, or nil.
func Run(s *Set, o Options) error {
	var errs []error
	for _, rule := range []func(Options) []error{
		s.checkPods, s.checkPorts, s.checkServices, s.checkDeployments, s.checkSecrets,
		s.checkNetworkPolicies, s.checkMonitoring, s.checkServiceIdentity, s.checkClaims,
	} {
		errs = append(errs, rule(o)...)
	}
	if o.Production {
		errs = append(errs, s.checkProduction(o)...)
	}
	return errors.Join(errs...)
}

// workload is anything that runs pods: a Deployment, a StatefulSet or a Job.
type workload struct {
	id, kind, namespace, name string
	template                  *corev1.PodTemplateSpec
	// serving is true for long-running pods (Deployments, StatefulSets), which need probes.
	serving bool
}

func (s *Set) workloads() []workload {
	var ws []workload
	for _, d := range s.Deployments {
		ws = append(ws, workload{"Deployment/" + d.Namespace + "/" + d.Name, "Deployment", d.Namespace, d.Name, &d.Spec.Template, true})
	}
	for _, d := range s.StatefulSets {
		ws = append(ws, workload{"StatefulSet/" + d.Namespace + "/" + d.Name, "StatefulSet", d.Namespace, d.Name, &d.Spec.Template, true})
	}
	for _, j := range s.Jobs {
		ws = append(ws, workload{"Job/" + j.Namespace + "/" + j.Name, "Job", j.Namespace, j.Name, &j.Spec.Template, false})
	}
	return ws
}

// binaryOf returns the suite binary a container runs, or "" for another image (the dev PostgreSQL).
func binaryOf(image string, o Options) string {
	repo := image
	if i := strings.Index(repo, "@"); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	if _, ok := o.Defaults[path.Base(repo)]; ok {
		return path.Base(repo)
	}
	return ""
}

// settings returns what a container of binary sees: the binary's defaults, overridden by its envFrom
// ConfigMaps in order, then by its literal env values. A value taken from a Secret or the downward API is
// present with the value "" (set, but not known here).
func (s *Set) settings(ns string, c *corev1.Container, binary string, o Options) map[string]string {
	env := map[string]string{}
	for k, v := range o.Defaults[binary] {
		env[k] = v
	}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef != nil {
			if cm := s.configMap(ns, from.ConfigMapRef.Name); cm != nil {
				for k, v := range cm.Data {
					env[from.Prefix+k] = v
				}
			}
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = e.Value
		case e.ValueFrom.ConfigMapKeyRef != nil:
			if cm := s.configMap(ns, e.ValueFrom.ConfigMapKeyRef.Name); cm != nil {
				env[e.Name] = cm.Data[e.ValueFrom.ConfigMapKeyRef.Key]
			}
		default:
			env[e.Name] = ""
		}
	}
	return env
}

func (s *Set) configMap(ns, name string) *corev1.ConfigMap {
	for _, cm := range s.ConfigMaps {
		if cm.Namespace == ns && cm.Name == name {
			return cm
		}
	}
	return nil
}

func (s *Set) service(ns, name string) *corev1.Service {
	for _, svc := range s.Services {
		if svc.Namespace == ns && svc.Name == name {
			return svc
		}
	}
	return nil
}

// listenPort returns the port of a listen address such as ":9091", and whether its host is reachable from
// outside the pod (empty or a wildcard address, not loopback or a fixed address).
func listenPort(addr string) (port string, anyHost bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false, err
	}
	return port, host == "" || host == "0.0.0.0" || host == "::", nil
}

// containerPort resolves a named or numbered port of c to its number, or returns 0.
func containerPort(c *corev1.Container, name string, number int32) int32 {
	for _, p := range c.Ports {
		if (name != "" && p.Name == name) || (name == "" && p.ContainerPort == number) {
			return p.ContainerPort
		}
	}
	return 0
}

// selects reports whether sel (nil selects nothing) matches the labels set.
func selects(sel *metav1.LabelSelector, set map[string]string) bool {
	if sel == nil {
		return false
	}
	ls, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false
	}
	return ls.Matches(labels.Set(set))
}

// deploymentOf returns the Deployment whose containers run binary in namespace ns.
func (s *Set) deploymentOf(ns, binary string, o Options) *appsv1.Deployment {
	for _, d := range s.Deployments {
		for _, c := range d.Spec.Template.Spec.Containers {
			if d.Namespace == ns && binaryOf(c.Image, o) == binary {
				return d
			}
		}
	}
	return nil
}

func errorf(id, format string, args ...any) error {
	return fmt.Errorf("%s: %s", id, fmt.Sprintf(format, args...))
}

// checkClaims wants every PersistentVolumeClaim a pod mounts to be one the manifests create in its namespace:
// a pod whose claim does not exist stays Pending without a word in the rollout.
func (s *Set) checkClaims(Options) []error {
	claims := map[string]bool{}
	for _, c := range s.Claims {
		claims[c.Namespace+"/"+c.Name] = true
	}
	var errs []error
	for _, w := range s.workloads() {
		for _, v := range w.template.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && !claims[w.namespace+"/"+v.PersistentVolumeClaim.ClaimName] {
				errs = append(errs, fmt.Errorf("%s: volume %s names PersistentVolumeClaim %s, which the manifests do not create", w.id, v.Name, v.PersistentVolumeClaim.ClaimName))
			}
		}
	}
	return errs
}
