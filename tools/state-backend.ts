import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STACKS } from '../services/catalog.js';
import { stateBackendUrl } from './release-workflow/state-backend.js';

/**
 * `npm run --silent state:backend -- --stack <stack> >> "$GITHUB_OUTPUT"`: `url=gs://<project>-pulumi-state`,
 * the stack's state bucket, read from `Pulumi.<stack>.yaml` (no cloud call).
 */
const { values } = parseArgs({ options: { stack: { type: 'string' } } });
if (!values.stack || !(STACKS as readonly string[]).includes(values.stack)) {
  process.stderr.write(`state:backend: --stack: expected one of ${STACKS.join(', ')}\n`);
  process.exit(64);
}
process.stdout.write(`url=${stateBackendUrl(join(import.meta.dirname, '..'), values.stack)}\n`);
