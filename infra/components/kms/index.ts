export {
  ENCRYPTER_DECRYPTER_ROLE,
  gkeServiceAgent,
  keyRingName,
  ROTATION_PERIOD,
} from './key-settings.js';
export { ClusterSecretsKey, type ClusterSecretsKeyArgs } from './secrets-key.js';
