export {
  type NamespaceSpec,
  namespaceLabels,
  PlatformNamespaces,
  type PlatformNamespacesArgs,
  type PodSecurityLevel,
} from './namespaces.js';
