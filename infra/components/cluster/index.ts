export * from './authorized-networks.js';
export * from './cluster.js';
export * from './control-plane-access.js';
export * from './defaults.js';
export * from './kubeconfig.js';
export * from './location.js';
export * from './node-config.js';
export * from './node-service-account.js';
