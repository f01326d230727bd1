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
  type Site,
} from './manifests.js';
export {
  DEFAULT_RULE_PRIORITY,
  OWASP_RULE_SETS,
  securityPolicyRules,
  type WafSensitivity,
  wafExpression,
} from './security-policy.js';
