export { type CallOptions, propagatedHeaders } from './call-headers.js';
export {
  type Problem,
  ServiceProblemError,
  ServiceUnavailableError,
  type UnavailableReason,
} from './errors.js';
export {
  CircuitState,
  type ServiceTransport,
  type ServiceTransportOptions,
  serviceTransport,
  type TokenSource,
} from './service-transport.js';
export { unwrap } from './unwrap.js';
export type { UpstreamPolicyOptions } from './upstream-policy.js';
