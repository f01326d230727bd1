export * from './backup.js';
export * from './chart-values.js';
export * from './neo4j.js';
export * from './network-policy.js';
export * from './settings.js';
