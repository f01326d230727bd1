import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { StackName } from '../../../services/catalog.js';
import { PROBE_PATHS } from '../service-deployment/probe-paths.js';
import {
  checkGrafanaAccess,
  GRAFANA_OAUTH_SECRET,
  type GrafanaAccess,
  IAP_ACCESSOR_ROLE,
  iapHostCondition,
} from './grafana-access.js';
import {
  type BackendService,
  backendConfigSpec,
  edgeObjectName,
  frontendConfigSpec,
  ingressAnnotations,
  ingressSpec,
  PUBLIC_PATH_PREFIX,
  type Site,
} from './manifests.js';
import { securityPolicyRules, type WafSensitivity } from './security-policy.js';

export interface IngressGatewayArgs {
  readonly project: string;
  readonly stack: StackName;
  /** Host of the API, e.g. `api.aia-platform.dev`. */
  readonly domain: string;
  /** Host of Grafana, e.g. `grafana.aia-platform.dev`. */
  readonly grafanaHost: string;
  /**
   * The Service of the catalog's public service (`exposure: 'public'`). Its owner applies
   * `backendServiceAnnotations(edgeObjectName('api'))` (known up front: the BackendConfig's name
   * is fixed).
   */
  readonly apiService: BackendService;
  /**
   * Grafana's Service (MonitoringStack.grafanaService), annotated the same way through
   * MonitoringStack's `grafanaServiceAnnotations`.
   */
  readonly grafanaService: BackendService;
  /** Identity-Aware Proxy and/or a source allowlist in front of Grafana; never its password alone. */
  readonly grafanaAccess: GrafanaAccess;
  /** Requests a minute each client IP may send before Cloud Armor answers 429. */
  readonly rateLimitPerMinute: number;
  /** Google Cloud labels (owner, environment, service) of the addresses and the security policy. */
  readonly labels: Record<string, string>;
  /** Sensitivity of the OWASP rules. Default 1: the signatures least prone to false positives. */
  readonly wafSensitivity?: WafSensitivity;
}

const OBJECT_LABELS = {
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
};

/**
 * HTTPS entry through GKE Ingress: one global external Application Load Balancer per site (the
 * API, Grafana), each on a reserved static IP with a Google-managed certificate, TLS 1.2+ (MODERN
 * SSL policy) and one Cloud Armor policy shared by both (OWASP rules, a per-IP rate limit,
 * Adaptive Protection). An Ingress routes only to Services of its own namespace, and the API and
 * Grafana live in different ones: hence one Ingress, certificate and address per site.
 */
export class IngressGateway extends pulumi.ComponentResource {
  /** The API's static IP, for the DNS record of `domain`. */
  readonly ipAddress: pulumi.Output<string>;
  /** Grafana's static IP, for the DNS record of `grafanaHost`. */
  readonly grafanaIpAddress: pulumi.Output<string>;
  readonly securityPolicyName: pulumi.Output<string>;
  /** BackendConfig of the API Service's namespace. */
  readonly backendConfigName: pulumi.Output<string>;
  /** BackendConfig of Grafana's namespace. */
  readonly grafanaBackendConfigName: pulumi.Output<string>;
  readonly hosts: pulumi.Output<string[]>;

  constructor(name: string, args: IngressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.domain === args.grafanaHost) {
      throw new Error(
        `domain and grafanaHost are both ${args.domain}: the API and Grafana need a host each`,
      );
    }
    const rules = securityPolicyRules(args);
    checkGrafanaAccess(args.grafanaAccess);
    const { iap, allowedSources } = args.grafanaAccess;
    const grafanaRules = allowedSources && securityPolicyRules({ ...args, allowedSources });
    super('aia:platform:IngressGateway', name, {}, opts);
    const child = { parent: this };
    const { project, stack } = args;

    const securityPolicy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      {
        project,
        name: `aia-${stack}-edge`,
        description: 'OWASP CRS 3.3 rules, per-IP rate limit, Adaptive Protection',
        type: 'CLOUD_ARMOR',
        rules,
        adaptiveProtectionConfig: {
          layer7DdosDefenseConfig: { enable: true, ruleVisibility: 'STANDARD' },
        },
        // Parsed JSON bodies are inspected field by field: fewer false positives on the API.
        advancedOptionsConfig: { jsonParsing: 'STANDARD', logLevel: 'NORMAL' },
        labels: { ...args.labels },
      },
      child,
    );
    const sslPolicy = new gcp.compute.SSLPolicy(
      `${name}-tls`,
      { project, name: `aia-${stack}-tls`, profile: 'MODERN', minTlsVersion: 'TLS_1_2' },
      child,
    );

    // Grafana's own policy when it has an allowlist: the API's stays open to every client.
    const grafanaPolicy =
      grafanaRules &&
      new gcp.compute.SecurityPolicy(
        `${name}-grafana-armor`,
        {
          project,
          name: `aia-${stack}-grafana-edge`,
          description: 'OWASP CRS 3.3 rules, per-IP rate limit, allowlisted sources only',
          type: 'CLOUD_ARMOR',
          rules: grafanaRules,
          advancedOptionsConfig: { jsonParsing: 'STANDARD', logLevel: 'NORMAL' },
          labels: { ...args.labels },
        },
        child,
      );
    if (iap) {
      new gcp.iap.WebIamMember(
        `${name}-grafana-iap-access`,
        {
          project,
          role: IAP_ACCESSOR_ROLE,
          member: `group:${iap.group}`,
          condition: iapHostCondition(args.grafanaHost),
        },
        child,
      );
    }

    const shared = { securityPolicyName: securityPolicy.name, sslPolicyName: sslPolicy.name };
    const api = this.edge(name, args, 'api', shared, {
      host: args.domain,
      service: args.apiService,
      // Only the versioned API: metrics, info and probes are for the cluster (404 here).
      paths: [PUBLIC_PATH_PREFIX],
      // Liveness, not readiness: a Redis blip must not mark every backend unhealthy at once.
      healthCheckPath: PROBE_PATHS.liveness,
      httpRedirect: false,
    });
    const grafanaShared = grafanaPolicy
      ? { ...shared, securityPolicyName: grafanaPolicy.name }
      : shared;
    const grafana = this.edge(name, args, 'grafana', grafanaShared, {
      host: args.grafanaHost,
      service: args.grafanaService,
      paths: ['/'],
      healthCheckPath: '/api/health',
      httpRedirect: true,
      ...(iap
        ? { iap: { oauthClientSecretName: iap.oauthClientSecretName ?? GRAFANA_OAUTH_SECRET } }
        : {}),
    });

    this.ipAddress = api.address.address;
    this.grafanaIpAddress = grafana.address.address;
    this.securityPolicyName = securityPolicy.name;
    this.backendConfigName = api.backendConfig.metadata.name;
    this.grafanaBackendConfigName = grafana.backendConfig.metadata.name;
    this.hosts = pulumi.output([args.domain, args.grafanaHost]);
    this.registerOutputs({
      ipAddress: this.ipAddress,
      grafanaIpAddress: this.grafanaIpAddress,
      securityPolicyName: this.securityPolicyName,
      backendConfigName: this.backendConfigName,
      grafanaBackendConfigName: this.grafanaBackendConfigName,
      hosts: this.hosts,
    });
  }

  /** One site's static IP, BackendConfig, FrontendConfig, managed certificate and Ingress. */
  private edge(
    name: string,
    { project, stack, labels }: IngressGatewayArgs,
    key: string,
    shared: { securityPolicyName: pulumi.Output<string>; sslPolicyName: pulumi.Output<string> },
    site: Site,
  ) {
    const child = { parent: this };
    const objectName = edgeObjectName(key);
    const address = new gcp.compute.GlobalAddress(
      `${name}-${key}-ip`,
      {
        project,
        name: `aia-${stack}-${key}-ingress`,
        addressType: 'EXTERNAL',
        ipVersion: 'IPV4',
        labels: { ...labels },
      },
      child,
    );
    const metadata = {
      name: objectName,
      namespace: site.service.namespace,
      labels: { ...OBJECT_LABELS, 'app.kubernetes.io/name': objectName },
    };
    const customResource = (role: string, apiVersion: string, kind: string, spec: object) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${key}-${role}`,
        { apiVersion, kind, metadata, spec },
        child,
      );
    const backendConfig = customResource(
      'backend',
      'cloud.google.com/v1',
      'BackendConfig',
      backendConfigSpec(shared.securityPolicyName, site),
    );
    const frontendConfig = customResource(
      'frontend',
      'networking.gke.io/v1beta1',
      'FrontendConfig',
      frontendConfigSpec(shared.sslPolicyName, site),
    );
    const domains = { domains: [site.host] };
    const certificate = customResource(
      'certificate',
      'networking.gke.io/v1',
      'ManagedCertificate',
      domains,
    );
    new k8s.networking.v1.Ingress(
      `${name}-${key}`,
      {
        metadata: {
          ...metadata,
          annotations: ingressAnnotations(site, { addressName: address.name, objectName }),
        },
        spec: ingressSpec(site),
      },
      { parent: this, dependsOn: [backendConfig, frontendConfig, certificate] },
    );
    return { address, backendConfig };
  }
}
