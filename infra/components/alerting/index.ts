export {
  ALERTMANAGER_CONFIG_SECRET,
  AlertmanagerSecrets,
  type AlertmanagerSecretsArgs,
  alertmanagerArgs,
} from './alertmanager-secrets.js';
export { ObservabilityContent, type ObservabilityContentArgs } from './observability-content.js';
