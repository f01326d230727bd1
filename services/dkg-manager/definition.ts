import { defineService, serviceEnv } from '../catalog/define.js';
import { alwaysCheck, flag, neo4jEnv, neo4jWhenSelected, postgresEnv } from '../platform/env.js';

const env = serviceEnv({
  ...postgresEnv,
  ...neo4jEnv,
  DKG_ENHANCED_ENABLED: flag(true),
}).superRefine(neo4jWhenSelected, alwaysCheck);

/** Knowledge graph of skills, tools and strategies. The seed's figures: 500m / 1Gi, 1 CPU / 2Gi. */
export const dkgManager = defineService({
  name: 'dkg-manager',
  description: 'DKG Manager: skill, tool and strategy registries in a knowledge graph',
  port: 8004,
  resources: {
    staging: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    production: {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 65 },
  },
  dataStores: ['postgres', 'redis', 'neo4j'],
  database: { poolSize: 5 },
  migrations: true,
  env,
  featureFlags: ['DKG_ENHANCED_ENABLED'],
});
