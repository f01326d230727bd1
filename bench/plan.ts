import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { timeCommand } from './measure.js';

/**
 * The offline production plan against the floor of merely importing the Pulumi SDK and the two
 * providers in Node, measured in the same run. Target: the plan within 3x of the floor.
 */
export async function benchPlan(runs = 5): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const floor = timeCommand(
    'import floor',
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "await import('@pulumi/pulumi'); await import('@pulumi/gcp'); await import('@pulumi/kubernetes');",
    ],
    runs,
    root,
  );
  const plan = timeCommand(
    'production plan',
    process.execPath,
    ['--import=tsx', 'tools/plan.ts', '--stack', 'production'],
    runs,
    root,
  );
  const ratio = Math.round((plan.medianMs / floor.medianMs) * 100) / 100;
  const result = {
    benchmark: 'plan',
    runs,
    floorMs: floor.medianMs,
    planMs: plan.medianMs,
    ratio,
    target: 3,
  };
  process.stdout.write(
    [
      '',
      `import floor (node imports @pulumi/pulumi, gcp, kubernetes): median ${floor.medianMs} ms  [${floor.runsMs.join(', ')}]`,
      `production plan (npm run plan -- --stack production):       median ${plan.medianMs} ms  [${plan.runsMs.join(', ')}]`,
      `ratio: ${ratio}x the import floor (target: within 3x) — ${ratio <= 3 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(root, 'bench', 'results', 'plan.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}
