package check

import (
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// checkPorts holds every container of a suite binary to the addresses the binary listens on, computed from
// its defaults and the settings the manifests give it, so that a port is never written down twice by hand:
// each listen address must be reachable from outside the pod and declared as the container port of its
// name (grpc, metrics, http), no other port may be declared, gRPC readiness must probe the gRPC port, and
// every service address the binary is given must reach that service's gRPC port through its Service.
func (s *Set) checkPorts(o Options) []error {
	var errs []error
	for _, w := range s.workloads() {
		for i := range w.template.Spec.Containers {
			c := &w.template.Spec.Containers[i]
			binary := binaryOf(c.Image, o)
			if binary == "" {
				continue
			}
			id := w.id + ": container " + c.Name
			errs = append(errs, s.checkKnownSettings(id, w.namespace, c, binary, o)...)
			if !w.serving {
				if len(c.Ports) > 0 {
					errs = append(errs, errorf(id, "declares ports but does not serve"))
				}
				continue
			}
			env := s.settings(w.namespace, c, binary, o)
			declared := map[string]bool{}
			for variable, portName := range listenPorts {
				addr, ok := env[variable]
				if !ok {
					continue
				}
				declared[portName] = true
				port, anyHost, err := listenPort(addr)
				if err != nil {
					errs = append(errs, errorf(id, "%s=%q: %v", variable, addr, err))
					continue
				}
				if !anyHost {
					errs = append(errs, errorf(id, "%s=%q listens on one address only; probes and Services cannot reach it (use :%s)", variable, addr, port))
				}
				if got := containerPort(c, portName, 0); strconv.Itoa(int(got)) != port {
					errs = append(errs, errorf(id, "%s listens on port %s, but container port %q is %d", variable, port, portName, got))
				}
				if portName == "grpc" && c.ReadinessProbe != nil && c.ReadinessProbe.GRPC != nil &&
					strconv.Itoa(int(c.ReadinessProbe.GRPC.Port)) != port {
					errs = append(errs, errorf(id, "readinessProbe asks gRPC port %d, but the server listens on %s", c.ReadinessProbe.GRPC.Port, port))
				}
			}
			for _, p := range c.Ports {
				if !declared[p.Name] {
					errs = append(errs, errorf(id, "declares port %s (%d), on which %s does not listen", p.Name, p.ContainerPort, binary))
				}
			}
			errs = append(errs, s.checkUpstreams(id, w.namespace, binary, env, o)...)
			errs = append(errs, checkFiles(id, c, env)...)
		}
	}
	return errs
}

// checkUpstreams follows every <SERVICE>_ADDR setting that names one of the suite's services to the
// Service it names and on to the gRPC port of the pods behind it.
func (s *Set) checkUpstreams(id, ns, binary string, env map[string]string, o Options) []error {
	var errs []error
	for _, variable := range sortedKeys(o.Defaults[binary]) {
		addr := env[variable]
		callee := strings.ToLower(strings.TrimSuffix(variable, "_ADDR"))
		if _, listen := listenPorts[variable]; listen || !strings.HasSuffix(variable, "_ADDR") || o.Defaults[callee] == nil {
			continue
		}
		want := s.grpcPortOf(ns, callee, o)
		host, port, err := splitAddr(addr)
		if err != nil {
			errs = append(errs, errorf(id, "%s=%q: %v", variable, addr, err))
			continue
		}
		svc := s.service(ns, host)
		if svc == nil {
			errs = append(errs, errorf(id, "%s=%q names no Service in namespace %s", variable, addr, ns))
			continue
		}
		d := s.deploymentOf(ns, callee, o)
		if d == nil || !selectsAll(svc.Spec.Selector, d.Spec.Template.Labels) {
			errs = append(errs, errorf(id, "%s=%q: Service %s does not select the %s pods", variable, addr, host, callee))
			continue
		}
		var target int32
		for _, sp := range svc.Spec.Ports {
			if strconv.Itoa(int(sp.Port)) == port {
				target = resolveTarget(sp.TargetPort, sp.Port, &d.Spec.Template.Spec)
			}
		}
		if target == 0 || strconv.Itoa(int(target)) != want {
			errs = append(errs, errorf(id, "%s=%q reaches port %d of %s, but its gRPC server listens on %s", variable, addr, target, callee, want))
		}
	}
	return errs
}

// runtimeSettings are read by the Go runtime, not by the binaries' settings.
var runtimeSettings = map[string]bool{"GOMEMLIMIT": true, "GOMAXPROCS": true, "GOGC": true, "GODEBUG": true, "GOTRACEBACK": true}

// checkKnownSettings wants every variable a container of binary is given, literally or from a ConfigMap,
// to be one the binary reads: a misspelt setting would otherwise be silently ignored.
func (s *Set) checkKnownSettings(id, ns string, c *corev1.Container, binary string, o Options) []error {
	var errs []error
	given := map[string]string{}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef != nil {
			if cm := s.configMap(ns, from.ConfigMapRef.Name); cm != nil {
				for k := range cm.Data {
					given[from.Prefix+k] = "ConfigMap " + from.ConfigMapRef.Name
				}
			}
		}
	}
	for _, e := range c.Env {
		given[e.Name] = "env"
	}
	for _, variable := range sortedKeys(given) {
		if _, known := o.Defaults[binary][variable]; !known && !runtimeSettings[variable] {
			errs = append(errs, errorf(id, "%s (from %s) is no setting of %s", variable, given[variable], binary))
		}
	}
	return errs
}

// grpcPortOf returns the port the named binary's gRPC server listens on in namespace ns.
func (s *Set) grpcPortOf(ns, binary string, o Options) string {
	d := s.deploymentOf(ns, binary, o)
	if d == nil {
		return ""
	}
	for i := range d.Spec.Template.Spec.Containers {
		c := &d.Spec.Template.Spec.Containers[i]
		if binaryOf(c.Image, o) == binary {
			port, _, _ := listenPort(s.settings(ns, c, binary, o)["GRPC_ADDR"])
			return port
		}
	}
	return ""
}

// splitAddr splits a gRPC target host:port, with or without the dns:/// scheme.
func splitAddr(addr string) (host, port string, err error) {
	addr = strings.TrimPrefix(addr, "dns:///")
	i := strings.LastIndex(addr, ":")
	if i <= 0 {
		return "", "", strconv.ErrSyntax
	}
	return addr[:i], addr[i+1:], nil
}

// resolveTarget returns the container port number a Service port's targetPort reaches in spec, or 0.
func resolveTarget(target intstr.IntOrString, port int32, spec *corev1.PodSpec) int32 {
	for i := range spec.Containers {
		c := &spec.Containers[i]
		switch {
		case target.Type == intstr.String:
			if n := containerPort(c, target.StrVal, 0); n != 0 {
				return n
			}
		case target.IntVal == 0: // unset: the Service port itself
			if n := containerPort(c, "", port); n != 0 {
				return n
			}
		default:
			if n := containerPort(c, "", target.IntVal); n != 0 {
				return n
			}
		}
	}
	return 0
}

// selectsAll reports whether a Service's equality selector matches every label in set it names.
func selectsAll(selector, set map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if set[k] != v {
			return false
		}
	}
	return true
}

// checkServices wants every Service to select some pods and every Service port to reach a port those
// pods declare.
func (s *Set) checkServices(Options) []error {
	var errs []error
	for _, svc := range s.Services {
		id := "Service/" + svc.Namespace + "/" + svc.Name
		found := false
		for _, w := range s.workloads() {
			if w.namespace != svc.Namespace || !w.serving || !selectsAll(svc.Spec.Selector, w.template.Labels) {
				continue
			}
			found = true
			for _, sp := range svc.Spec.Ports {
				if resolveTarget(sp.TargetPort, sp.Port, &w.template.Spec) == 0 {
					errs = append(errs, errorf(id, "port %s targets %s, which %s does not declare", sp.Name, sp.TargetPort.String(), w.id))
				}
			}
		}
		if !found {
			errs = append(errs, errorf(id, "selects no pods"))
		}
	}
	return errs
}

// checkDeployments wants selectors that match their own pods, rolling updates that never go below the
// wanted replicas, and a termination grace period long enough for the binary's own graceful shutdown.
func (s *Set) checkDeployments(o Options) []error {
	var errs []error
	for _, d := range s.Deployments {
		id := "Deployment/" + d.Namespace + "/" + d.Name
		if !selects(d.Spec.Selector, d.Spec.Template.Labels) {
			errs = append(errs, errorf(id, "selector does not match its pod template's labels"))
		}
		ru := d.Spec.Strategy.RollingUpdate
		if d.Spec.Strategy.Type != "RollingUpdate" || ru == nil || ru.MaxUnavailable == nil ||
			intstr.FromInt32(0) != *ru.MaxUnavailable && intstr.FromString("0%") != *ru.MaxUnavailable {
			errs = append(errs, errorf(id, "rolling update may go below the wanted replicas (strategy RollingUpdate with maxUnavailable: 0)"))
		}
		grace := int64(30)
		if d.Spec.Template.Spec.TerminationGracePeriodSeconds != nil {
			grace = *d.Spec.Template.Spec.TerminationGracePeriodSeconds
		}
		for i := range d.Spec.Template.Spec.Containers {
			c := &d.Spec.Template.Spec.Containers[i]
			binary := binaryOf(c.Image, o)
			if binary == "" {
				continue
			}
			need, err := shutdownTime(c, s.settings(d.Namespace, c, binary, o))
			if err != nil {
				errs = append(errs, errorf(id, "container %s: %v", c.Name, err))
			} else if time.Duration(grace)*time.Second < need {
				errs = append(errs, errorf(id, "terminationGracePeriodSeconds %d is shorter than container %s's preStop and graceful shutdown (%s)", grace, c.Name, need))
			}
		}
	}
	return errs
}

// shutdownSlack covers what follows the in-flight calls: closing the metrics server and database pool.
const shutdownSlack = 5 * time.Second

// shutdownTime is how long a container may take to stop after the kubelet begins: its preStop sleep, the
// drain and shutdown timeout of its settings, and some slack.
func shutdownTime(c *corev1.Container, env map[string]string) (time.Duration, error) {
	total := shutdownSlack
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		total += time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	for _, variable := range []string{"SHUTDOWN_DRAIN", "SHUTDOWN_TIMEOUT"} {
		if v, ok := env[variable]; ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				return 0, err
			}
			total += d
		}
	}
	return total, nil
}

// checkFiles wants every absolute path a *_FILE setting names to lie in a volume the container mounts:
// the root filesystem is read-only and holds nothing of the operator's.
func checkFiles(id string, c *corev1.Container, env map[string]string) []error {
	var errs []error
	for _, variable := range sortedKeys(env) {
		file := env[variable]
		if !strings.HasSuffix(variable, "_FILE") || !strings.HasPrefix(file, "/") {
			continue
		}
		mounted := false
		for _, m := range c.VolumeMounts {
			mounted = mounted || strings.HasPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/")
		}
		if !mounted {
			errs = append(errs, errorf(id, "%s=%s lies in no mounted volume", variable, file))
		}
	}
	return errs
}
