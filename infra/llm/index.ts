export { llmEndpointEgress } from './egress.js';
export { llmKeyProblems } from './keys.js';
export {
  type ClassWithoutProvider,
  classesWithoutProvider,
  deliveredVariables,
  enabledStackProviders,
  llmProviderWarnings,
  PROVIDER_REQUIREMENTS,
  type StackProvider,
  stackKeyOf,
} from './providers.js';
export {
  LLM_BASE_URL_VARIABLES,
  LLM_SETTING_VARIABLES,
  type LlmSettings,
  type LlmVariable,
  llmSchema,
  llmServices,
  llmVariables,
} from './settings.js';
