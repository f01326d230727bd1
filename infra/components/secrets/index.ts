export { kebabCase, planSecrets, type SecretSource } from './plan.js';
export { GENERATED_SECRET_LENGTH, PlatformSecrets, type PlatformSecretsArgs } from './secrets.js';
