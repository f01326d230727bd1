import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';

/** Webhooks one task may have at once: a task's changes fan out to each. */
export const MAX_PUSH_CONFIGS_PER_TASK = 10;
/** Longest webhook URL (the common limit of browsers and proxies). */
export const MAX_PUSH_URL_LENGTH = 2048;
/** Longest `token` echoed back as X-A2A-Notification-Token. */
export const MAX_PUSH_TOKEN_LENGTH = 512;
/** Longest client-chosen config id. */
export const MAX_PUSH_CONFIG_ID_LENGTH = 256;
/** Longest `authentication.credentials`. */
export const MAX_PUSH_CREDENTIALS_LENGTH = 2048;

/**
 * How the orchestrator authenticates itself to a webhook: its own signed JWT (`Bearer` without
 * credentials, or no authentication given), or the credentials the webhook asked for, sent as
 * `Authorization: <scheme> <credentials>` (the JWT then rides in X-A2A-Notification-Signature).
 */
export interface PushAuthentication {
  readonly scheme: string;
  readonly credentials: string;
}

/** A push notification config as stored: the task's, checked. */
export interface PushConfig {
  readonly id: string;
  readonly url: string;
  /** '' for none. */
  readonly token: string;
  readonly authentication: PushAuthentication | undefined;
}

// RFC 9110 §5.6.2 token: an auth scheme's characters.
const TOKEN_CHARACTERS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII and spaces: what an HTTP header value may carry.
const HEADER_VALUE = /^[\x20-\x7e]*$/;

type Fail = (field: string, reason: string) => Error;

/**
 * A config as a client sent it, checked: an absolute URL without userinfo (https unless
 * `allowHttp`, for webhooks on a development machine), a token and credentials that fit in a
 * header, an auth scheme that is an HTTP token, and lengths within the limits above. `id` is the
 * client's or a new UUID. Throws the SDK's RequestMalformedError (-32602) naming the field
 * below `path` (e.g. `configuration.taskPushNotificationConfig.` in a SendMessage).
 */
export function checkedPushConfig(
  config: TaskPushNotificationConfig,
  { allowHttp, path = '' }: { allowHttp: boolean; path?: string },
): PushConfig {
  const fail: Fail = (field, reason) => new RequestMalformedError(`${path}${field}: ${reason}`);
  const id = config.id || crypto.randomUUID();
  if (id.length > MAX_PUSH_CONFIG_ID_LENGTH)
    throw fail('id', `at most ${MAX_PUSH_CONFIG_ID_LENGTH} characters`);
  if (!HEADER_VALUE.test(id)) throw fail('id', 'printable ASCII characters only');
  return {
    id,
    url: checkedUrl(config.url, allowHttp, fail),
    token: checkedHeaderValue('token', config.token, MAX_PUSH_TOKEN_LENGTH, fail),
    authentication: checkedAuthentication(config.authentication, fail),
  };
}

/** The SDK's form of a stored config, for the task `taskId`. */
export const wireConfigOf = (
  taskId: string,
  tenant: string,
  { id, url, token, authentication }: PushConfig,
): TaskPushNotificationConfig => ({ tenant, id, taskId, url, token, authentication });

function checkedUrl(url: string, allowHttp: boolean, fail: Fail): string {
  if (!url) throw fail('url', 'required');
  if (url.length > MAX_PUSH_URL_LENGTH)
    throw fail('url', `at most ${MAX_PUSH_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('url', 'not an absolute URL');
  }
  const schemes = allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(parsed.protocol))
    throw fail('url', `expected ${allowHttp ? 'an http(s)' : 'an https'} URL`);
  if (parsed.username || parsed.password)
    throw fail('url', 'must not carry credentials: use token or authentication');
  return url;
}

function checkedAuthentication(
  authentication: TaskPushNotificationConfig['authentication'],
  fail: Fail,
): PushAuthentication | undefined {
  if (!authentication || (!authentication.scheme && !authentication.credentials)) return undefined;
  const { scheme, credentials } = authentication;
  if (!scheme) throw fail('authentication.scheme', 'required with credentials');
  if (scheme.length > 64 || !TOKEN_CHARACTERS.test(scheme))
    throw fail('authentication.scheme', 'an HTTP authentication scheme such as Bearer');
  if (!credentials && scheme.toLowerCase() !== 'bearer')
    throw fail(
      'authentication.credentials',
      `required for ${scheme} (without credentials only Bearer: the orchestrator's signed JWT)`,
    );
  return {
    scheme,
    credentials: checkedHeaderValue(
      'authentication.credentials',
      credentials,
      MAX_PUSH_CREDENTIALS_LENGTH,
      fail,
    ),
  };
}

function checkedHeaderValue(field: string, value: string, max: number, fail: Fail): string {
  if (value.length > max) throw fail(field, `at most ${max} characters`);
  if (!HEADER_VALUE.test(value)) throw fail(field, 'printable ASCII characters only');
  return value;
}
