export * from './object-storage.js';
export * from './settings.js';
