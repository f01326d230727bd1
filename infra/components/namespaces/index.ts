export {
  allowEgress,
  apiServerEgress,
  baselineEgress,
  DEFAULT_DENY_EGRESS,
  dnsEgress,
  GOOGLE_API_RANGES,
  googleApisEgress,
  internetEgress,
  metadataServerEgress,
  PRIVATE_SERVICE_PORTS,
  podsEgress,
  rangeEgress,
  sameNamespaceEgress,
} from './egress.js';
export {
  type NamespaceSpec,
  namespaceLabels,
  PlatformNamespaces,
  type PlatformNamespacesArgs,
  type PodSecurityLevel,
} from './namespaces.js';
