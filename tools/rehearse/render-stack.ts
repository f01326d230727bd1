import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runPlan } from '../plan/run-plan.js';
import { unwrapSecrets } from '../plan/secrets.js';

/**
 * `tsx tools/rehearse/render-stack.ts <stack> <file>`: the Kubernetes objects the plan renders
 * for `stack`, as JSON, secrets unwrapped: each secret value is the plan's placeholder
 * (`plan-secret-…`), which the rehearsal replaces with a local value. A process per stack,
 * since Pulumi's runtime state is global.
 */
const [stack, file] = process.argv.slice(2);
if (!stack || !file) {
  console.error('usage: render-stack.ts <stack> <file>');
  process.exit(64);
}
process.setSourceMapsEnabled(false);
const plan = await runPlan({ root: resolve(import.meta.dirname, '../..'), stack });
const objects = plan.resources
  .filter((resource) => resource.custom && resource.type.startsWith('kubernetes:'))
  .map((resource) => unwrapSecrets(resource.inputs));
await writeFile(file, JSON.stringify(objects));
// The SDK keeps handles open after a plan; the objects are written.
process.exit(0);
