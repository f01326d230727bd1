export { type CanarySplit, canarySplit } from './canary-split.js';
export { MAX_SURGE_PERCENT, verticalPodAutoscalerSpec } from './deployment-objects.js';
export {
  EnvContractError,
  type EnvInputs,
  type RenderedEnvironment,
  renderEnvironment,
} from './environment.js';
export {
  type ConfigMapFiles,
  mebibytes,
  PRE_STOP_SECONDS,
  servicePodTemplate,
} from './pod-template.js';
export { PROBE_PATHS } from './probe-paths.js';
export {
  ServiceDeployment,
  type ServiceDeploymentArgs,
  serviceAccountId,
} from './service-deployment.js';
