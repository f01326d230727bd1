export {
  checkGrafanaAccess,
  GRAFANA_OAUTH_SECRET,
  type GrafanaAccess,
  IAP_ACCESSOR_ROLE,
  iapHostCondition,
} from './grafana-access.js';
export { IngressGateway, type IngressGatewayArgs } from './ingress.js';
export {
  type BackendService,
  backendConfigSpec,
  backendServiceAnnotations,
  CONNECTION_DRAINING_SECONDS,
  edgeObjectName,
  frontendConfigSpec,
  ingressAnnotations,
  ingressSpec,
  loadBalancerIngressRule,
  PUBLIC_PATH_PREFIX,
  type Site,
  type SiteIap,
} from './manifests.js';
export {
  DEFAULT_RULE_PRIORITY,
  MAX_SOURCE_RANGES,
  OWASP_RULE_SETS,
  securityPolicyRules,
  type WafSensitivity,
  wafExpression,
} from './security-policy.js';
