import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkPlan } from './policy-check/check.js';
import { renderVerdict } from './policy-check/report.js';
import type { PlannedResource } from './policy-check/run-policies.js';

const USAGE = 'usage: npm run policy:check -- <plan.json> [--stack <name>] [--json <file>]';

/**
 * `npm run policy:check`: runs the whole policy pack over a plan file written by
 * `npm run plan -- --json`. Exit 0 when no mandatory rule is violated, 1 when one is, 2 on bad
 * arguments or an unreadable plan.
 */
async function main(): Promise<number> {
  let parsed: { values: { stack?: string; json?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { stack: { type: 'string' }, json: { type: 'string' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file] = parsed.positionals;
  if (!file) {
    console.error(`the plan file is required\n${USAGE}`);
    return 2;
  }
  let plan: { stack?: string; resources?: PlannedResource[] };
  try {
    plan = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    console.error(`cannot read plan ${file}: ${(error as Error).message}`);
    return 2;
  }
  if (!Array.isArray(plan.resources)) {
    console.error(
      `${file} is not a plan: it has no "resources" array (write one with npm run plan -- --json)`,
    );
    return 2;
  }
  const stack = parsed.values.stack ?? plan.stack;
  if (!stack) {
    console.error(`${file} names no stack: pass --stack\n${USAGE}`);
    return 2;
  }
  const verdict = await checkPlan(stack, plan.resources);
  process.stdout.write(`${renderVerdict(verdict)}\n`);
  if (parsed.values.json) {
    const violations = verdict.violations.map(({ policy, enforcementLevel, urn, message }) => ({
      policy,
      enforcementLevel,
      urn,
      message,
    }));
    await writeFile(parsed.values.json, `${JSON.stringify({ violations }, null, 2)}\n`);
  }
  return verdict.mandatory > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
