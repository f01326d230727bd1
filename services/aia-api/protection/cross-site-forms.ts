import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import type { AppEnv } from '../../platform/types.js';
import { CrossSiteRequestError } from './problems.js';

export interface CrossSiteFormOptions {
  /** Origins besides the gateway's own whose pages may post forms (`CORS_ALLOWED_ORIGINS`). */
  readonly allowedOrigins: readonly string[];
}

/**
 * Refuses a state-changing request a page on another site could make a browser send without a
 * CORS preflight — a form post (`application/x-www-form-urlencoded`, `multipart/form-data`,
 * `text/plain`, or no content type) — unless it comes from the gateway's own origin
 * (`Sec-Fetch-Site: same-origin` or a matching `Origin`) or an allowed one: Hono's `csrf` check.
 * Today no cookie authenticates anyone here (bearer tokens only; cookies never reach an
 * upstream), so this makes sure a cookie session added later cannot be ridden by another site.
 *
 * Requests with neither `Origin` nor `Sec-Fetch-Site` are left alone: every browser sends
 * `Origin` on a cross-site POST, so such a request comes from a program (an OAuth client posting
 * its form-encoded token request, a script), which no other site controls.
 */
export const crossSiteForms = ({
  allowedOrigins,
}: CrossSiteFormOptions): MiddlewareHandler<AppEnv> => {
  const allowed = new Set(allowedOrigins);
  const check = csrf({
    origin: (origin, c) => origin === new URL(c.req.url).origin || allowed.has(origin),
  });
  return async function crossSiteForms(c, next) {
    const fromBrowser =
      c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined;
    if (!fromBrowser) return next();
    let passed = false;
    try {
      await check(c, async () => {
        passed = true;
      });
    } catch {
      // hono/csrf answers a plain-text 403; the platform's is a problem document.
    }
    if (!passed) throw new CrossSiteRequestError(c.req.header('origin'));
    return next();
  };
};
