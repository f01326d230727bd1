export * from './regional-pd.js';
