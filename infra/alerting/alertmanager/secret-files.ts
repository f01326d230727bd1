/** Where kube-prometheus-stack mounts each Secret listed in `alertmanagerSpec.secrets`. */
export const SECRETS_DIR = '/etc/alertmanager/secrets';

/** The path of key `key` of Secret `secret` once mounted in the Alertmanager pod. */
export const secretFile = (secret: string, key: string): string =>
  `${SECRETS_DIR}/${secret}/${key}`;

/** Default files, one Secret per provider, each Secret in the Alertmanager's namespace. */
export const DEFAULT_SECRET_FILES = {
  pagerdutyKeyFile: secretFile('alertmanager-pagerduty', 'routing-key'),
  slackWebhookFile: secretFile('alertmanager-slack', 'webhook-url'),
  smtpPasswordFile: secretFile('alertmanager-smtp', 'password'),
} as const;

// A Secret's name is a DNS subdomain; a key is letters, digits, '-', '_' and '.'.
const MOUNTED_FILE = new RegExp(
  `^${SECRETS_DIR}/([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)/([-._a-zA-Z0-9]+)$`,
);

/**
 * The name of the Secret a file belongs to. Throws, saying why, unless the file is
 * `/etc/alertmanager/secrets/<secret>/<key>`: anything else would not exist in the pod, and a
 * secret must never be written into the configuration itself.
 */
export function mountedSecretOf(file: string, field: string): string {
  const secret = MOUNTED_FILE.exec(file)?.[1];
  if (secret === undefined) {
    throw new Error(
      `${field} is "${file}": expected ${SECRETS_DIR}/<secret>/<key>, the file of a Secret mounted into Alertmanager`,
    );
  }
  return secret;
}
