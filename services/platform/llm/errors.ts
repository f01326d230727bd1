import type { Attempt } from './types.js';

/** The LLM configuration cannot serve what it must: each issue names the variable and why. */
export class LlmConfigurationError extends Error {
  override readonly name = 'LlmConfigurationError';
  constructor(readonly issues: readonly { field: string; reason: string }[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.reason}`).join('\n'));
  }
}

/** A call named a class the configuration does not have: a caller's bug. */
export class UnknownModelClassError extends Error {
  override readonly name = 'UnknownModelClassError';
  constructor(readonly modelClass: string) {
    super(`no model class "${modelClass}" (set its routes in LLM_CLASSES)`);
  }
}

/** Refused before anything was sent: no route's worst case fits the call's budget. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  constructor(
    readonly modelClass: string,
    readonly maxCostAia: string,
    /** The cheapest route's worst case, in AIA. */
    readonly cheapestAia: string,
  ) {
    super(
      `the ${modelClass} call could cost up to ${cheapestAia} AIA on its cheapest route, over its budget of ${maxCostAia} AIA`,
    );
  }
}

/** A call's budget is not a budget: names the field and why. Nothing was sent. */
export class InvalidBudgetError extends TypeError {
  override readonly name = 'InvalidBudgetError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Every route of the class failed or was skipped; `attempts` says how, in order. */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
  constructor(
    readonly modelClass: string,
    readonly attempts: readonly Attempt[],
    options?: { cause?: unknown },
  ) {
    const tried = attempts.map((a) => `${a.provider}:${a.model} ${a.outcome}`).join(', ');
    super(`no provider answered the ${modelClass} call (${tried || 'no route'})`, options);
  }
}

/** A stream failed after its first text reached the caller: too late to fall back. */
export class StreamInterruptedError extends Error {
  override readonly name = 'StreamInterruptedError';
  constructor(cause: unknown) {
    super('the model stream ended with an error after it had started', { cause });
  }
}
