/**
 * The health endpoints every catalog service serves (services/platform/health.ts), and who asks
 * which. Liveness (`/healthz`): the process answers; the kubelet restarts a pod that stops, and
 * the load balancer's health check asks it too. Readiness (`/readyz`): the service's dependencies
 * answer; Kubernetes takes a failing pod out of its Service (and so out of the load balancer's
 * network endpoint group) one pod at a time. The load balancer's own check must not be
 * readiness: a Redis blip fails every pod's `/readyz` at once and the load balancer would mark
 * the whole backend unhealthy, although the API degrades gracefully without Redis (its rate
 * limiter fails open). A dependency the service can run without does not belong in `/readyz`.
 */
export const PROBE_PATHS = { liveness: '/healthz', readiness: '/readyz' } as const;
