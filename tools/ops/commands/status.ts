import { parseArgs } from 'node:util';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { releaseStatus, releaseStatusTable } from '../release/release-status.js';

export const STATUS_USAGE = `npm run ops -- status --stack <staging|production> [--json] [--updates N]

What runs where: per service (and per colour of the blue-green ones) its role, share of traffic,
image and replica bounds; which colour is live, what the idle one runs, a canary in progress; the
last N updates of the stack's history (default 5). --json for scripts.`;

/** `ops status`: issue 22, item 3. */
export async function statusCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      json: { type: 'boolean', default: false },
      updates: { type: 'string', default: '5' },
    },
  });
  const name = stackArg(values.stack);
  const updates = Number(values.updates);
  if (!Number.isInteger(updates) || updates < 0) {
    throw new Error(`--updates: expected a whole number, got "${values.updates}"`);
  }
  const stack = await openAtLastDeployment(io, name);
  const [config, history, outputs] = await Promise.all([
    stack.config(),
    stack.history(),
    stack.outputs().catch(() => ({}) as Record<string, unknown>),
  ]);
  const namespace = (outputs.namespaces as { services?: string } | undefined)?.services;
  const status = releaseStatus({ stack: name, config, history, namespace, updates });
  io.out(values.json ? `${JSON.stringify(status, null, 2)}\n` : releaseStatusTable(status));
  return 0;
}
