import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { googleHealthCheckRanges } from '../network/index.js';

/** A Service the load balancer sends traffic to (ClusterIP, reached through a NEG). */
export interface BackendService {
  readonly name: pulumi.Input<string>;
  readonly port: number;
  readonly namespace: pulumi.Input<string>;
}

/** What the gateway serves on one host: its own Ingress, in its Service's namespace. */
export interface Site {
  readonly host: string;
  readonly service: BackendService;
  /** Path prefixes routed to the Service. */
  readonly paths: readonly string[];
  /** Path the load balancer's health check requests. */
  readonly healthCheckPath: string;
  /**
   * `true`: port 80 answers 301 to HTTPS (for browsers). `false`: no port 80 at all
   * (`kubernetes.io/ingress.allow-http: "false"`), so an API client that forgot the scheme fails
   * before its bearer token crosses the network in clear.
   */
  readonly httpRedirect: boolean;
  /** Identity-Aware Proxy in front of the backend: every request carries a Google identity. */
  readonly iap?: SiteIap;
}

/**
 * The only path prefix of the platform's services the load balancer routes. Everything else a
 * service serves (`/metrics`, `/info`, `/readyz`, `/healthz`) is for the cluster: requests for it
 * match no Ingress rule and GKE's default backend answers 404 at the load balancer. The load
 * balancer's own health check is not routed through these rules: it probes the backend pods
 * directly on the BackendConfig's `healthCheck.requestPath`.
 */
export const PUBLIC_PATH_PREFIX = '/v1';

/** Identity-Aware Proxy on a site's backend, with the OAuth client GKE's CRD requires. */
export interface SiteIap {
  /** Secret in the site's namespace holding the OAuth client's `client_id` and `client_secret`. */
  readonly oauthClientSecretName: string;
}

/** Seconds the load balancer keeps sending in-flight requests to a removed endpoint. */
export const CONNECTION_DRAINING_SECONDS = 30;

/**
 * Name of a site's BackendConfig, FrontendConfig, ManagedCertificate and Ingress (different kinds,
 * one name). Fixed, so a Service can be annotated before the gateway exists.
 */
export const edgeObjectName = (site: string) => `${site}-edge`;

/**
 * Annotations the owner of a backend Service applies: container-native load balancing (a NEG,
 * so the Service stays ClusterIP) and the gateway's BackendConfig for every port.
 */
export const backendServiceAnnotations = (backendConfigName: string): Record<string, string> => ({
  'cloud.google.com/neg': '{"ingress": true}',
  'cloud.google.com/backend-config': `{"default": "${backendConfigName}"}`,
});

/**
 * NetworkPolicy ingress rule admitting the load balancer on `port`: a container-native load
 * balancer's proxies and health checks connect to pods from Google's front-end ranges.
 */
export const loadBalancerIngressRule = (
  port: number,
): k8s.types.input.networking.v1.NetworkPolicyIngressRule => ({
  from: googleHealthCheckRanges.map((cidr) => ({ ipBlock: { cidr } })),
  ports: [{ protocol: 'TCP', port }],
});

/**
 * BackendConfig spec: the Cloud Armor policy, the health check, connection draining, logging,
 * and Identity-Aware Proxy where the site has it.
 */
export const backendConfigSpec = (securityPolicyName: pulumi.Input<string>, site: Site) => ({
  securityPolicy: { name: securityPolicyName },
  ...(site.iap
    ? {
        iap: {
          enabled: true,
          oauthclientCredentials: { secretName: site.iap.oauthClientSecretName },
        },
      }
    : {}),
  healthCheck: {
    type: 'HTTP',
    requestPath: site.healthCheckPath,
    checkIntervalSec: 10,
    timeoutSec: 5,
    healthyThreshold: 1,
    unhealthyThreshold: 3,
  },
  connectionDraining: { drainingTimeoutSec: CONNECTION_DRAINING_SECONDS },
  // Cloud Armor records its verdicts in the load balancer's request log.
  logging: { enable: true, sampleRate: 1 },
});

/** FrontendConfig spec: the SSL policy, and the HTTP-to-HTTPS redirect where the site has one. */
export const frontendConfigSpec = (sslPolicyName: pulumi.Input<string>, site: Site) => ({
  sslPolicy: sslPolicyName,
  ...(site.httpRedirect
    ? { redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } }
    : {}),
});

/** A site's Ingress annotations: GCE class, reserved IP, certificate, FrontendConfig. */
export function ingressAnnotations(
  site: Site,
  { addressName, objectName }: { addressName: pulumi.Input<string>; objectName: string },
): Record<string, pulumi.Input<string>> {
  return {
    'kubernetes.io/ingress.class': 'gce',
    'kubernetes.io/ingress.global-static-ip-name': addressName,
    'networking.gke.io/managed-certificates': objectName,
    'networking.gke.io/v1beta1.FrontendConfig': objectName,
    ...(site.httpRedirect ? {} : { 'kubernetes.io/ingress.allow-http': 'false' }),
  };
}

/** Ingress spec: the site's host, each path prefix to its Service. */
export const ingressSpec = (site: Site): k8s.types.input.networking.v1.IngressSpec => ({
  rules: [
    {
      host: site.host,
      http: {
        paths: site.paths.map((path) => ({
          path,
          pathType: 'Prefix',
          backend: { service: { name: site.service.name, port: { number: site.service.port } } },
        })),
      },
    },
  ],
});
