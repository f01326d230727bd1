export * from './cidr.js';
export * from './firewall-rules.js';
export * from './network.js';
