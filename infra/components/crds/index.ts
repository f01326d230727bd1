export { ChartCrds, type ChartCrdsArgs } from './chart-crds.js';
export { type ChartCrdRelease, chartCrdRelease, servedApis } from './releases.js';
// customResourceProblems (validate.ts) is for tests and the plan: it loads devDependencies.
