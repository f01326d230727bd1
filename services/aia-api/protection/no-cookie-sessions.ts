import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/types.js';

/**
 * No cookie authenticates anyone through the gateway, by construction: the caller's `Cookie`
 * header is removed before anything reads the request (the kit's authentication is bearer-only,
 * and no upstream ever receives a cookie), and a `Set-Cookie` from an upstream is removed from its
 * answer, so no route can start a browser session behind the gateway's back. A cookie session
 * added one day would have to be designed here, behind `crossSiteForms`.
 */
export const noCookieSessions = (): MiddlewareHandler<AppEnv> =>
  async function noCookieSessions(c, next) {
    c.req.raw.headers.delete('cookie');
    await next();
    if (!c.res.headers.has('set-cookie')) return;
    try {
      c.res.headers.delete('set-cookie');
    } catch {
      // A fetched Response's headers are immutable: answer with a copy.
      const headers = new Headers(c.res.headers);
      headers.delete('set-cookie');
      const { body, status, statusText } = c.res;
      c.res = undefined;
      c.res = new Response(body, { status, statusText, headers });
    }
  };
