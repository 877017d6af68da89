// Package check holds the rules every rendered Partnerskap manifest must keep: it decodes each object
// strictly into its Kubernetes (or Prometheus Operator) type, then checks pods, ports, secrets, network
// policies and, for production, the objects that keep the suite available. Each rule reports every
// violation it finds, named by object, so one run lists everything to fix.
package check

import (
	"errors"
	"fmt"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	sigsjson "sigs.k8s.io/json"

	"github.com/partnerskap/partnerskap/deploy/internal/render"
)

// Set is a rendered overlay, decoded: one slice per kind the suite uses.
type Set struct {
	Namespaces      []*corev1.Namespace
	ServiceAccounts []*corev1.ServiceAccount
	ConfigMaps      []*corev1.ConfigMap
	Secrets         []*corev1.Secret
	Services        []*corev1.Service
	Deployments     []*appsv1.Deployment
	StatefulSets    []*appsv1.StatefulSet
	Jobs            []*batchv1.Job
	NetworkPolicies []*networkingv1.NetworkPolicy
	PDBs            []*policyv1.PodDisruptionBudget
	HPAs            []*autoscalingv2.HorizontalPodAutoscaler
	Ingresses       []*networkingv1.Ingress
	ServiceMonitors []*monitoringv1.ServiceMonitor
	PrometheusRules []*monitoringv1.PrometheusRule
	Claims          []*corev1.PersistentVolumeClaim
}

// Decode decodes every object strictly: a field its type does not have (a misspelt or misplaced one, or
// one in the wrong case), a duplicate field, or a kind the suite does not use is an error. kubectl apply
// would drop or refuse such a field only on a live cluster; here it fails before anything is applied.
func Decode(objs []render.Object) (*Set, error) {
	s := &Set{}
	var errs []error
	for _, o := range objs {
		target, add := s.slot(o.APIVersion, o.Kind)
		if target == nil {
			errs = append(errs, fmt.Errorf("%s: kind %s %s is not one the suite uses; add it to check.Set", o.ID(), o.APIVersion, o.Kind))
			continue
		}
		strict, err := sigsjson.UnmarshalStrict(o.JSON, target)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.ID(), err))
			continue
		}
		for _, e := range strict {
			errs = append(errs, fmt.Errorf("%s: %w", o.ID(), e))
		}
		add()
	}
	return s, errors.Join(errs...)
}

// slot returns a new object of the type for apiVersion and kind, and a function that adds it to s.
func (s *Set) slot(apiVersion, kind string) (any, func()) {
	switch apiVersion + " " + kind {
	case "v1 Namespace":
		return newSlot(&s.Namespaces)
	case "v1 ServiceAccount":
		return newSlot(&s.ServiceAccounts)
	case "v1 ConfigMap":
		return newSlot(&s.ConfigMaps)
	case "v1 Secret":
		return newSlot(&s.Secrets)
	case "v1 Service":
		return newSlot(&s.Services)
	case "v1 PersistentVolumeClaim":
		return newSlot(&s.Claims)
	case "apps/v1 Deployment":
		return newSlot(&s.Deployments)
	case "apps/v1 StatefulSet":
		return newSlot(&s.StatefulSets)
	case "batch/v1 Job":
		return newSlot(&s.Jobs)
	case "networking.k8s.io/v1 NetworkPolicy":
		return newSlot(&s.NetworkPolicies)
	case "networking.k8s.io/v1 Ingress":
		return newSlot(&s.Ingresses)
	case "policy/v1 PodDisruptionBudget":
		return newSlot(&s.PDBs)
	case "autoscaling/v2 HorizontalPodAutoscaler":
		return newSlot(&s.HPAs)
	case "monitoring.coreos.com/v1 ServiceMonitor":
		return newSlot(&s.ServiceMonitors)
	case "monitoring.coreos.com/v1 PrometheusRule":
		return newSlot(&s.PrometheusRules)
	}
	return nil, nil
}

func newSlot[T any](list *[]*T) (any, func()) {
	v := new(T)
	return v, func() { *list = append(*list, v) }
}
