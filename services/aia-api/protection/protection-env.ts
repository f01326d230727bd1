import { z } from 'zod';

/** `*`: any origin. Development only: the gateway refuses it on staging and production. */
export const ANY_ORIGIN = '*';

/**
 * An origin as browsers send it: scheme, host and an optional port, nothing after
 * (`https://app.aia.example`, `http://localhost:5173`).
 */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * `CORS_ALLOWED_ORIGINS` as a list: comma-separated, each an exact origin or `*`. Empty (the
 * default): no cross-origin browser access at all.
 */
const allowedOrigins = z
  .string()
  .default('')
  .transform((value, context) => {
    const origins = value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    for (const origin of origins.filter((o) => o !== ANY_ORIGIN && !ORIGIN.test(o))) {
      context.addIssue({
        code: 'custom',
        message: `'${origin}' is not an origin: expected scheme://host[:port] with nothing after it, such as https://app.example.com`,
      });
    }
    return origins;
  });

/** Requests per caller and window (`RATE_LIMIT_WINDOW_MS`) of one route class. */
const perWindow = z.coerce
  .number({ error: 'expected a whole number of requests' })
  .int()
  .positive();

/** The gateway's protection settings (docs/gateway.md, "Protection and audit"). */
export const protectionEnv = {
  /**
   * Browser origins allowed to call the API cross-origin (CORS), comma-separated, exact. `*` is
   * for development: staging and production refuse it ({@link corsOriginsWhenDeployed}).
   */
  CORS_ALLOWED_ORIGINS: allowedOrigins,
  /**
   * Requests per caller and window to `/v1/a2a` (agents answer with model calls). The kit's
   * `RATE_LIMIT_MAX` still bounds all of a caller's requests together.
   */
  GATEWAY_RATE_LIMIT_A2A_MAX: perWindow.default(120),
  /** Event streams (`Accept: text/event-stream`) a caller may open per window. */
  GATEWAY_RATE_LIMIT_STREAM_MAX: perWindow.default(30),
};

/**
 * Refinement for the gateway's env schema: `CORS_ALLOWED_ORIGINS` may not hold `*` on staging
 * or production, where any site could then read what a person's browser fetches through the API.
 */
export const corsOriginsWhenDeployed = (
  env: Record<string, unknown>,
  context: z.RefinementCtx,
): void => {
  if (env.ENVIRONMENT !== 'staging' && env.ENVIRONMENT !== 'production') return;
  const origins = env.CORS_ALLOWED_ORIGINS;
  if (!Array.isArray(origins) || !origins.includes(ANY_ORIGIN)) return;
  context.addIssue({
    code: 'custom',
    path: ['CORS_ALLOWED_ORIGINS'],
    message: `must list exact origins when ENVIRONMENT is ${env.ENVIRONMENT}, not '*': any site could read the API's answers in a signed-in browser`,
  });
};
