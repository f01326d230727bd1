import type { z } from 'zod';

/**
 * Refinement: the flag `key` (parsed to a boolean) may be true in development and test only.
 * For switches that open outbound calls to private addresses: a laptop's webhooks and test
 * servers live there; in a cluster the same addresses are its internal services.
 *
 * @example
 * serviceEnv({ PUSH_ALLOW_PRIVATE_ADDRESSES: flag(false) })
 *   .superRefine(localOnlyFlag('PUSH_ALLOW_PRIVATE_ADDRESSES'), alwaysCheck);
 */
export const localOnlyFlag =
  (key: string) =>
  (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (env[key] !== true) return;
    if (env.ENVIRONMENT !== 'staging' && env.ENVIRONMENT !== 'production') return;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `must not be true when ENVIRONMENT is ${env.ENVIRONMENT}: private addresses there are the cluster's own services`,
    });
  };
