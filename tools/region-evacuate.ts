import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evacuate } from './region-evacuation/lost-resources.js';
import { formatEvacuation } from './region-evacuation/report.js';
import { parseStackExport } from './region-evacuation/state.js';

const USAGE =
  'usage: npm run --silent region:evacuate -- --state <pulumi stack export file> --lost-region <region> --adopt-instance <promoted replica> --out <file>';
const REGION = /^[a-z]+-[a-z]+\d$/;

/**
 * `npm run region:evacuate`: reads a stack's exported state and writes it again without what was
 * lost with a region (docs/runbooks/incidents/lost-region.md, Whole region lost), for
 * `pulumi stack import`. Offline: it reads and writes files only. Exit 0 written, 1 refused
 * (nothing written), 2 on a bad command line.
 */
async function main(): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      options: {
        state: { type: 'string' },
        'lost-region': { type: 'string' },
        'adopt-instance': { type: 'string' },
        out: { type: 'string' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`region:evacuate: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const missing = ['state', 'lost-region', 'adopt-instance', 'out'].find((flag) => !values[flag]);
  const lostRegion = values['lost-region'] ?? '';
  if (missing || !REGION.test(lostRegion)) {
    const problem = missing
      ? `--${missing} is required`
      : `--lost-region: expected a region such as us-central1, got "${lostRegion}"`;
    process.stderr.write(`region:evacuate: ${problem}\n${USAGE}\n`);
    return 2;
  }
  const [statePath, out] = [values.state as string, values.out as string];
  try {
    const state = parseStackExport(await readFile(statePath, 'utf8'));
    const evacuation = evacuate(state, {
      lostRegion,
      adoptInstance: values['adopt-instance'] as string,
    });
    // `wx`: never over the export it came from, nor an earlier run's result.
    await writeFile(out, `${JSON.stringify(evacuation.state, null, 2)}\n`, { flag: 'wx' });
    const stack = stackOf(state);
    process.stdout.write(formatEvacuation(evacuation, { stack, out }));
    return 0;
  } catch (error) {
    process.stderr.write(`region:evacuate: ${(error as Error).message}; nothing written\n`);
    return 1;
  }
}

/** The stack's name, from its root resource's URN (`urn:pulumi:<stack>::…`). */
function stackOf(state: ReturnType<typeof parseStackExport>): string {
  const urn = state.deployment.resources?.[0]?.urn ?? '';
  return urn.split(':')[2]?.split('::')[0] || '<stack>';
}

main().then((code) => process.exit(code));
