export * from './config-backups.js';
export * from './settings.js';
