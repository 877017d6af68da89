package interceptor

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// Metrics counts calls and their durations by service, method and status code, in Prometheus form.
type Metrics struct {
	handled *prometheus.CounterVec
	seconds *prometheus.HistogramVec
}

// NewMetrics registers the call metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_handled_total",
			Help: "RPCs completed on the server, by status code.",
		}, []string{"grpc_service", "grpc_method", "grpc_code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "grpc_server_handling_seconds",
			Help:    "Time the server took to complete an RPC.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"grpc_service", "grpc_method"}),
	}
	reg.MustRegister(m.handled, m.seconds)
	return m
}

func (m *Metrics) observe(fullMethod string, start time.Time, err error) {
	service, method := splitMethod(fullMethod)
	m.handled.WithLabelValues(service, method, status.Code(err).String()).Inc()
	m.seconds.WithLabelValues(service, method).Observe(time.Since(start).Seconds())
}

// Link returns the metrics link of the chain.
func (m *Metrics) Link() Link {
	return Link{
		Name: "metrics",
		Unary: func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
			start := time.Now()
			resp, err := next(ctx, req)
			m.observe(info.FullMethod, start, err)
			return resp, err
		},
		Stream: func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
			start := time.Now()
			err := next(srv, ss)
			m.observe(info.FullMethod, start, err)
			return err
		},
	}
}
