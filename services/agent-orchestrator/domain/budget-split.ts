import { formatAia, minUnits, parseAia } from './aia-amount.js';

/**
 * The budgets of a task's children: what is left of the task's budget after planning, shared in
 * `children + 1` equal parts (the last part stays with the parent, to combine the answers), each
 * capped by the child agent's own default budget. Exact (units of 10^-18 AIA, rounded down), so
 * the same plan always reserves the same amounts and the parts never add up to more than is left.
 */
export function splitBudget(
  taskBudgetAia: string,
  spentAia: string,
  childDefaults: readonly string[],
): string[] {
  const left = parseAia(taskBudgetAia) - parseAia(spentAia);
  if (left <= 0n) return childDefaults.map(() => '0');
  const share = left / BigInt(childDefaults.length + 1);
  return childDefaults.map((cap) => formatAia(minUnits(share, parseAia(cap))));
}

/** `a - b`, never below zero. */
export const remainingAia = (a: string, ...spent: string[]): string => {
  const left = spent.reduce((rest, amount) => rest - parseAia(amount), parseAia(a));
  return formatAia(left > 0n ? left : 0n);
};

/** The sum of AIA amounts. */
export const sumAia = (...amounts: string[]): string =>
  formatAia(amounts.reduce((total, amount) => total + parseAia(amount), 0n));

/** The smaller of two AIA amounts. */
export const minAia = (a: string, b: string): string =>
  formatAia(minUnits(parseAia(a), parseAia(b)));
