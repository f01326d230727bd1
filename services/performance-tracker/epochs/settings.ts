import { z } from 'zod';
import { parseAia, parseFraction } from './domain/aia-units.js';
import type { PayoutRule } from './domain/payout-rule.js';

/** Longest epoch: 30 days. */
const MAX_EPOCH_HOURS = 720;
/** Epochs on staging when EPOCH_HOURS is unset: short, so a payout is seen within the hour. */
const STAGING_EPOCH_HOURS = 1;
const DEFAULT_EPOCH_HOURS = 24;

const aiaText = (field: string) =>
  z.string().superRefine((text, ctx) => {
    try {
      if (parseAia(text, field) === 0n)
        ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be AIA as a decimal string, e.g. 1000 or 12.5',
      });
    }
  });

/**
 * The tracker's epoch settings (spread into its env schema in definition.ts). Every value is
 * read once at start; see docs/performance-tracker.md, "Epochs and payouts".
 */
export const epochEnv = {
  /**
   * Length of an epoch in whole hours, 1–720. Unset: 1 on staging (payouts seen quickly), 24
   * elsewhere. Changing it renumbers the epochs: change it only right after a payout.
   */
  EPOCH_HOURS: z.coerce.number().int().min(1).max(MAX_EPOCH_HOURS).optional(),
  /** What one epoch pays at most from the reward pool, in AIA (exact decimal). Default 1000. */
  EPOCH_REWARD_BUDGET_AIA: aiaText('EPOCH_REWARD_BUDGET_AIA').default('1000'),
  /** Epoch scores at or below it earn nothing; above it the part above it weighs. Default 0. */
  EPOCH_SCORE_FLOOR: z.coerce.number().min(0).max(0.99).default(0),
  /** The most one agent receives, as a share of what the epoch pays (0–1]. Default 0.25. */
  EPOCH_CAP_SHARE: z
    .string()
    .regex(/^(0(\.\d{1,18})?|1(\.0{1,18})?)$/, 'must be a decimal fraction from 0 to 1, e.g. 0.25')
    .refine((text) => parseFraction(text, 'EPOCH_CAP_SHARE') > 0n, 'must be more than 0')
    .default('0.25'),
};

/** The epoch settings as the tracker's operations use them. */
export interface EpochSettings {
  readonly hours: number;
  readonly rule: PayoutRule;
  /** How long after its end an epoch is snapshot (late runs still arrive): 10 minutes. */
  readonly settleMs: number;
  /** The rule as configured, shown with every payout table. */
  readonly shown: {
    readonly budget: string;
    readonly scoreFloor: number;
    readonly capShare: string;
  };
}

/** Runs reach the tracker seconds after they finish; this leaves room for a lagging consumer. */
export const SETTLE_MS = 10 * 60_000;

/** {@link EpochSettings} from the parsed configuration. */
export function epochSettingsOf(config: {
  readonly ENVIRONMENT?: string;
  readonly EPOCH_HOURS?: number | undefined;
  readonly EPOCH_REWARD_BUDGET_AIA: string;
  readonly EPOCH_SCORE_FLOOR: number;
  readonly EPOCH_CAP_SHARE: string;
}): EpochSettings {
  return {
    hours:
      config.EPOCH_HOURS ??
      (config.ENVIRONMENT === 'staging' ? STAGING_EPOCH_HOURS : DEFAULT_EPOCH_HOURS),
    rule: {
      budget: parseAia(config.EPOCH_REWARD_BUDGET_AIA, 'EPOCH_REWARD_BUDGET_AIA'),
      scoreFloor: config.EPOCH_SCORE_FLOOR,
      capShare: parseFraction(config.EPOCH_CAP_SHARE, 'EPOCH_CAP_SHARE'),
    },
    settleMs: SETTLE_MS,
    shown: {
      budget: config.EPOCH_REWARD_BUDGET_AIA,
      scoreFloor: config.EPOCH_SCORE_FLOOR,
      capShare: config.EPOCH_CAP_SHARE,
    },
  };
}
