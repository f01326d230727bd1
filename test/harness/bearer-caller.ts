import { testToken } from './jwt.js';

/** What a test call may say: who calls, with which scopes, what body and extra headers. */
export interface BearerCallOptions {
  readonly as?: string;
  readonly scope?: string;
  /** Sent as JSON (a string is sent as it is). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * Calls of an in-process app under `/v1` with test tokens (one per subject and scopes, cached):
 * `call(method, path, options)` answers the raw Response; `tokenFor(subject, scope)` the token.
 */
export function bearerCaller(
  app: { request: (input: string, init?: RequestInit) => Response | Promise<Response> },
  defaults: { readonly as: string; readonly scope: string },
) {
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (subject: string, scope: string) => {
    const key = `${subject} ${scope}`;
    if (!tokens.has(key)) tokens.set(key, testToken({ subject, scope, expiresIn: '1h' }));
    return tokens.get(key) as Promise<string>;
  };
  const call = async (
    method: string,
    path: string,
    { as = defaults.as, scope = defaults.scope, body, headers = {} }: BearerCallOptions = {},
  ): Promise<Response> =>
    app.request(`/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await tokenFor(as, scope)}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { call, tokenFor };
}
