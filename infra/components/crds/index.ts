export { ChartCrds, type ChartCrdsArgs, CRD_SOURCE_ANNOTATIONS, crdInputs } from './chart-crds.js';
export {
  CRD_MANIFESTS,
  type CrdManifest,
  type CrdVersion,
  chartCrds,
  chartName,
  servedApis,
} from './manifests.js';
export { customResourceProblems } from './validate.js';
