import { defineService, serviceEnv } from '../catalog/define.js';
import { flag, postgresEnv } from '../platform/env.js';
import { llmEnv, withLlmRules } from '../platform/llm/env.js';
import { objectStorageEnv, withObjectStorageRules } from '../platform/object-storage-env.js';

const env = withLlmRules(
  withObjectStorageRules(
    serviceEnv({
      ...postgresEnv,
      ...llmEnv,
      ...objectStorageEnv,
      VENTURE_DISCOVERY_ENABLED: flag(true),
      STRUCTURED_REPORTS_ENABLED: flag(true),
    }),
  ),
);

/**
 * Finds and scores business opportunities. Mostly waiting on LLM providers (I/O bound), so a
 * small CPU request; memory for the JSON-LD reports it assembles.
 */
export const ventureDiscovery = defineService({
  name: 'venture-discovery',
  description:
    'Venture Discovery Engine: automated discovery and scoring of business opportunities',
  port: 8002,
  resources: {
    staging: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    production: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 75 },
    production: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 },
  },
  dataStores: ['postgres', 'redis', 'objectStorage'],
  // Writes the structured reports it assembles, reads them back, replaces and prunes them.
  objectStorage: { bucket: 'reports', access: 'readWrite' },
  env,
  llmClasses: ['fast', 'embedding'],
  featureFlags: ['VENTURE_DISCOVERY_ENABLED', 'STRUCTURED_REPORTS_ENABLED'],
});
