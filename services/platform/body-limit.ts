import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PayloadTooLargeError } from './errors.js';

/**
 * Refuses request bodies over `maxBytes` with a 413. GET and HEAD have none; a request that
 * declares its length is judged by the header (Node's HTTP parser holds the body to it) without
 * touching the body: Hono's `bodyLimit` reads `request.body`, which on @hono/node-server builds a
 * whole Fetch `Request` (with an AbortController) for every request. Anything else (chunked
 * bodies) goes through `bodyLimit`, which counts the bytes.
 */
export const limitBody = ({ maxBytes }: { maxBytes: number }): MiddlewareHandler => {
  const counting = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(maxBytes);
    },
  });
  return async function limitBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('Content-Length');
    if (declared !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      if (Number(declared) > maxBytes) throw new PayloadTooLargeError(maxBytes);
      return next();
    }
    return counting(c, next);
  };
};
