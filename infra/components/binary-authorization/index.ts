export {
  BinaryAuthorizationPolicy,
  type BinaryAuthorizationPolicyArgs,
} from './binary-authorization.js';
export { CHART_IMAGES, chartImages, chartKey } from './chart-images.js';
export {
  type AdmissionArgs,
  admissionPolicy,
  imageRepositoryOf,
  qualifiedImage,
} from './policy-spec.js';
