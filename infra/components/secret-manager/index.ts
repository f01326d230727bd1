export {
  SecretManagerSecret,
  type SecretManagerSecretArgs,
  secretIdFor,
} from './secret-manager.js';
