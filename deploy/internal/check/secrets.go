package check

import (
	"regexp"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

var (
	// secretName matches setting names that hold credentials. A *_FILE setting (AUTH_DEV_KEY_FILE,
	// SERVICE_TOKEN_FILE) holds the path of a mounted file, not the credential; see secretSetting.
	secretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|private|credential|api_?key|database_url|dsn)`)
	// secretValue matches values that carry a credential: a URL with a password, a PEM private key, or
	// a key=value connection string with a password.
	secretValue = regexp.MustCompile(`(?i)(://[^/\s:@]+:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY|\bpassword=)`)
)

// checkSecrets keeps secret values out of ConfigMaps and literal env values, wants every ConfigMap a pod
// names to exist, and, in production, wants no Secret objects at all: secrets are created by the operator
// and only referenced by name.
func (s *Set) checkSecrets(o Options) []error {
	var errs []error
	for _, cm := range s.ConfigMaps {
		id := "ConfigMap/" + cm.Namespace + "/" + cm.Name
		for _, k := range sortedKeys(cm.Data) {
			if secretSetting(k) || secretValue.MatchString(cm.Data[k]) {
				errs = append(errs, errorf(id, "%s looks like a secret; keep it in a Secret and reference it", k))
			}
		}
	}
	for _, w := range s.workloads() {
		spec := &w.template.Spec
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			id := w.id + ": container " + c.Name
			for _, e := range c.Env {
				if e.ValueFrom == nil && (secretSetting(e.Name) || secretValue.MatchString(e.Value)) {
					errs = append(errs, errorf(id, "env %s is given literally but looks like a secret; use valueFrom.secretKeyRef", e.Name))
				}
				if r := e.ValueFrom; r != nil && r.ConfigMapKeyRef != nil && !optional(r.ConfigMapKeyRef.Optional) && s.configMap(w.namespace, r.ConfigMapKeyRef.Name) == nil {
					errs = append(errs, errorf(id, "env %s names ConfigMap %s, which is not here", e.Name, r.ConfigMapKeyRef.Name))
				}
			}
			for _, from := range c.EnvFrom {
				if r := from.ConfigMapRef; r != nil && !optional(r.Optional) && s.configMap(w.namespace, r.Name) == nil {
					errs = append(errs, errorf(id, "envFrom names ConfigMap %s, which is not here", r.Name))
				}
			}
		}
		for _, v := range spec.Volumes {
			if r := v.ConfigMap; r != nil && !optional(r.Optional) && s.configMap(w.namespace, r.Name) == nil {
				errs = append(errs, errorf(w.id, "volume %s names ConfigMap %s, which is not here", v.Name, r.Name))
			}
		}
	}
	if o.Production {
		for _, sec := range s.Secrets {
			errs = append(errs, errorf("Secret/"+sec.Namespace+"/"+sec.Name, "production carries a secret value; the operator creates Secrets, the manifests only name them"))
		}
	}
	return errs
}

// ReferencedSecrets lists, sorted, the Secrets the pods and Ingresses name but the manifests do not
// create: what an operator must create before installing.
func (s *Set) ReferencedSecrets() []string {
	names := map[string]bool{}
	for _, w := range s.workloads() {
		spec := &w.template.Spec
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					names[e.ValueFrom.SecretKeyRef.Name] = true
				}
			}
			for _, from := range c.EnvFrom {
				if from.SecretRef != nil {
					names[from.SecretRef.Name] = true
				}
			}
		}
		for _, v := range spec.Volumes {
			if v.Secret != nil {
				names[v.Secret.SecretName] = true
			}
		}
	}
	for _, ing := range s.Ingresses {
		for _, t := range ing.Spec.TLS {
			names[t.SecretName] = true
		}
	}
	for _, sec := range s.Secrets {
		delete(names, sec.Name)
	}
	return sortedKeys(names)
}

// secretSetting reports whether a setting's name says it holds a credential. A *_FILE setting names a file,
// which a Secret volume provides; its value is still checked like any other.
func secretSetting(name string) bool {
	return !strings.HasSuffix(strings.ToUpper(name), "_FILE") && secretName.MatchString(name)
}

// checkServiceIdentity wants every long-running container of a binary that calls other services on its own
// behalf (it reads SERVICE_TOKEN_FILE: the reporting service) to be given its token outside development
// mode, where it cannot sign one itself and refuses to start without it. checkFiles wants the file mounted.
func (s *Set) checkServiceIdentity(o Options) []error {
	var errs []error
	for _, w := range s.workloads() {
		if !w.serving {
			continue
		}
		for i := range w.template.Spec.Containers {
			c := &w.template.Spec.Containers[i]
			binary := binaryOf(c.Image, o)
			if _, reads := o.Defaults[binary]["SERVICE_TOKEN_FILE"]; !reads {
				continue
			}
			env := s.settings(w.namespace, c, binary, o)
			if mode := env["AUTH_MODE"]; mode != "development" && env["SERVICE_TOKEN_FILE"] == "" {
				errs = append(errs, errorf(w.id+": container "+c.Name, "AUTH_MODE=%s without SERVICE_TOKEN_FILE: %s has no token of its own to call the services with and will not start", mode, binary))
			}
		}
	}
	return errs
}

func optional(b *bool) bool { return b != nil && *b }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
