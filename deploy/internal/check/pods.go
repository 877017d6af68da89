package check

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// checkPods holds every pod and container to least privilege and to declared resources, and every
// long-running container to its three probes.
func (s *Set) checkPods(o Options) []error {
	var errs []error
	for _, w := range s.workloads() {
		spec := &w.template.Spec
		errs = append(errs, s.checkPodSpec(w, spec)...)
		all := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
		for i := range all {
			c := &all[i]
			id := w.id + ": container " + c.Name
			errs = append(errs, checkImage(id, c.Image)...)
			errs = append(errs, checkResources(id, c.Resources)...)
			errs = append(errs, checkSecurity(id, spec.SecurityContext, c.SecurityContext)...)
			errs = append(errs, checkReadOnlyMounts(id, spec, c)...)
		}
		if w.serving {
			for i := range spec.Containers {
				errs = append(errs, checkProbes(w.id+": container "+spec.Containers[i].Name, &spec.Containers[i], o)...)
			}
		}
	}
	return errs
}

func (s *Set) checkPodSpec(w workload, spec *corev1.PodSpec) []error {
	var errs []error
	if spec.ServiceAccountName == "" || spec.ServiceAccountName == "default" {
		errs = append(errs, errorf(w.id, "runs as the namespace's default service account; give it its own"))
	}
	// A token is mounted unless the pod or its service account says otherwise; none of these pods calls
	// the Kubernetes API.
	mounted := true
	if spec.AutomountServiceAccountToken != nil {
		mounted = *spec.AutomountServiceAccountToken
	} else {
		for _, sa := range s.ServiceAccounts {
			if sa.Namespace == w.namespace && sa.Name == spec.ServiceAccountName && sa.AutomountServiceAccountToken != nil {
				mounted = *sa.AutomountServiceAccountToken
			}
		}
	}
	if mounted {
		errs = append(errs, errorf(w.id, "mounts a service account token it does not need (automountServiceAccountToken: false)"))
	}
	if spec.EnableServiceLinks == nil || *spec.EnableServiceLinks {
		errs = append(errs, errorf(w.id, "gets Service link variables (*_PORT, *_SERVICE_HOST) mixed into its settings (enableServiceLinks: false)"))
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		errs = append(errs, errorf(w.id, "shares a host namespace (hostNetwork, hostPID or hostIPC)"))
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil {
			errs = append(errs, errorf(w.id, "mounts host path %s", v.HostPath.Path))
		}
	}
	return errs
}

// checkReadOnlyMounts wants every Secret, ConfigMap or projected volume mounted read-only: what the operator
// provides (keys, tokens, settings files) is never the container's to change.
func checkReadOnlyMounts(id string, spec *corev1.PodSpec, c *corev1.Container) []error {
	var errs []error
	for _, m := range c.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name != m.Name || m.ReadOnly {
				continue
			}
			switch {
			case v.Secret != nil:
				errs = append(errs, errorf(id, "mounts Secret volume %s writable (readOnly: true)", v.Name))
			case v.ConfigMap != nil:
				errs = append(errs, errorf(id, "mounts ConfigMap volume %s writable (readOnly: true)", v.Name))
			case v.Projected != nil:
				errs = append(errs, errorf(id, "mounts projected volume %s writable (readOnly: true)", v.Name))
			}
		}
	}
	return errs
}

// checkImage wants a reference pinned by tag or digest, never latest.
func checkImage(id, image string) []error {
	if strings.Contains(image, "@sha256:") {
		return nil
	}
	slash := strings.LastIndex(image, "/")
	colon := strings.LastIndex(image, ":")
	if colon <= slash {
		return []error{errorf(id, "image %s has neither tag nor digest", image)}
	}
	if image[colon+1:] == "latest" {
		return []error{errorf(id, "image %s uses the tag latest; pin a version or digest", image)}
	}
	return nil
}

// checkResources wants CPU and memory requested and limited, each request within its limit.
func checkResources(id string, r corev1.ResourceRequirements) []error {
	var errs []error
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := r.Requests[name]
		lim, hasLim := r.Limits[name]
		switch {
		case !hasReq:
			errs = append(errs, errorf(id, "requests no %s", name))
		case !hasLim:
			errs = append(errs, errorf(id, "has no %s limit", name))
		case req.Cmp(lim) > 0 || lim.Cmp(resource.Quantity{}) <= 0:
			errs = append(errs, errorf(id, "%s request %s exceeds its limit %s", name, req.String(), lim.String()))
		}
	}
	return errs
}

// checkSecurity applies the restricted Pod Security Standard, plus a read-only root filesystem. A
// container's own setting wins over the pod's, as in the kubelet.
func checkSecurity(id string, pod *corev1.PodSecurityContext, c *corev1.SecurityContext) []error {
	if pod == nil {
		pod = &corev1.PodSecurityContext{}
	}
	if c == nil {
		c = &corev1.SecurityContext{}
	}
	var errs []error
	nonRoot := pod.RunAsNonRoot
	if c.RunAsNonRoot != nil {
		nonRoot = c.RunAsNonRoot
	}
	if nonRoot == nil || !*nonRoot {
		errs = append(errs, errorf(id, "securityContext: runAsNonRoot is not true"))
	}
	user := pod.RunAsUser
	if c.RunAsUser != nil {
		user = c.RunAsUser
	}
	if user != nil && *user == 0 {
		errs = append(errs, errorf(id, "securityContext: runAsUser is 0 (root)"))
	}
	if c.ReadOnlyRootFilesystem == nil || !*c.ReadOnlyRootFilesystem {
		errs = append(errs, errorf(id, "securityContext: readOnlyRootFilesystem is not true"))
	}
	if c.AllowPrivilegeEscalation == nil || *c.AllowPrivilegeEscalation {
		errs = append(errs, errorf(id, "securityContext: allowPrivilegeEscalation is not false"))
	}
	if c.Privileged != nil && *c.Privileged {
		errs = append(errs, errorf(id, "securityContext: privileged"))
	}
	dropsAll := false
	if c.Capabilities != nil {
		for _, d := range c.Capabilities.Drop {
			dropsAll = dropsAll || d == "ALL"
		}
		if len(c.Capabilities.Add) > 0 {
			errs = append(errs, errorf(id, "securityContext: adds capabilities %v", c.Capabilities.Add))
		}
	}
	if !dropsAll {
		errs = append(errs, errorf(id, "securityContext: capabilities do not drop ALL"))
	}
	seccomp := pod.SeccompProfile
	if c.SeccompProfile != nil {
		seccomp = c.SeccompProfile
	}
	if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
		errs = append(errs, errorf(id, "securityContext: seccompProfile is not RuntimeDefault"))
	}
	return errs
}

// checkProbes wants startup, readiness and liveness probes on ports the container declares. For a suite
// service (one with GRPC_ADDR), readiness must be the native gRPC health check of the whole server, which
// follows the database, and neither startup nor liveness may be: a database outage must make pods
// unready, never restart them.
func checkProbes(id string, c *corev1.Container, o Options) []error {
	var errs []error
	probes := map[string]*corev1.Probe{"startupProbe": c.StartupProbe, "readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe}
	for _, kind := range []string{"startupProbe", "readinessProbe", "livenessProbe"} {
		p := probes[kind]
		if p == nil {
			errs = append(errs, errorf(id, "has no %s", kind))
			continue
		}
		if port, ok := probePort(p); ok && containerPort(c, port.name, port.number) == 0 {
			errs = append(errs, errorf(id, "%s uses port %s, which the container does not declare", kind, port))
		}
	}
	binary := binaryOf(c.Image, o)
	if _, isService := o.Defaults[binary]["GRPC_ADDR"]; !isService {
		return errs
	}
	if r := c.ReadinessProbe; r != nil && (r.GRPC == nil || (r.GRPC.Service != nil && *r.GRPC.Service != "")) {
		errs = append(errs, errorf(id, "readinessProbe is not the gRPC health check of the whole server (grpc.health.v1, service \"\")"))
	}
	for kind, p := range map[string]*corev1.Probe{"startupProbe": c.StartupProbe, "livenessProbe": c.LivenessProbe} {
		if p != nil && p.GRPC != nil && (p.GRPC.Service == nil || *p.GRPC.Service == "") {
			errs = append(errs, errorf(id, "%s asks the server's gRPC health, which follows the database: an outage would restart every pod", kind))
		}
	}
	return errs
}

// portRef is a probe's or a Service's port: a name or a number.
type portRef struct {
	name   string
	number int32
}

func (p portRef) String() string {
	if p.name != "" {
		return p.name
	}
	return strconv.Itoa(int(p.number))
}

func probePort(p *corev1.Probe) (portRef, bool) {
	switch {
	case p.GRPC != nil:
		return portRef{number: p.GRPC.Port}, true
	case p.TCPSocket != nil:
		return portRef{p.TCPSocket.Port.StrVal, p.TCPSocket.Port.IntVal}, true
	case p.HTTPGet != nil:
		return portRef{p.HTTPGet.Port.StrVal, p.HTTPGet.Port.IntVal}, true
	}
	return portRef{}, false
}
