export * from './minio.js';
export * from './network-policy.js';
export * from './settings.js';
export * from './values.js';
