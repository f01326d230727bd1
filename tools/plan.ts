import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { STACKS, type StackName } from '../services/catalog.js';
import { renderTree } from './plan/render-tree.js';
import { runPlan } from './plan/run-plan.js';
import { redactSecrets } from './plan/secrets.js';
import { writeAlertingFiles } from './plan/write-alerting.js';
import { writeKubernetesObjects } from './plan/write-kubernetes.js';
import { checkPlan } from './policy-check/check.js';
import { renderVerdict } from './policy-check/report.js';

const USAGE = `usage: npm run plan -- --stack <${STACKS.join('|')}> [--json <file>] [--out <dir>] [--no-policy]`;
const root = resolve(import.meta.dirname, '..');

/**
 * `npm run plan`: the real Pulumi program, offline, under mocks with the stack's configuration.
 * Prints what it would create and the policy pack's verdicts (unless `--no-policy`); `--json`
 * writes the plan, `--out` the rendered Kubernetes objects. Exit 0 on success, 1 when a mandatory
 * policy is violated (or on an unexpected failure), 2 on bad arguments or stack configuration.
 */
async function main(): Promise<number> {
  // The SDK records a stack trace per resource (its source position); mapping each through
  // source maps costs more than the rest of the plan. Errors still name the file.
  process.setSourceMapsEnabled(false);
  let values: { stack?: string; json?: string; out?: string; 'no-policy'?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: 'string' },
        json: { type: 'string' },
        out: { type: 'string' },
        'no-policy': { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.stack || !(STACKS as readonly string[]).includes(values.stack)) {
    console.error(
      `${values.stack ? `unknown stack '${values.stack}'` : '--stack is required'}\n${USAGE}`,
    );
    return 2;
  }
  process.stderr.write(`Running the Pulumi program for stack ${values.stack} under mocks…\n`);
  const plan = await runPlan({ root, stack: values.stack });
  process.stdout.write(`${renderTree(plan.project, plan.stack, plan.resources)}\n`);
  if (values.json) {
    const document = {
      stack: plan.stack,
      resources: plan.resources.map(({ urn, type, name, parent, inputs }) => ({
        urn,
        type,
        name,
        parent: parent ?? null,
        inputs: redactSecrets(inputs),
      })),
      outputs: plan.outputs,
    };
    await mkdir(dirname(resolve(values.json)), { recursive: true });
    await writeFile(values.json, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`\nPlan written to ${values.json}\n`);
  }
  if (values.out) {
    const files = await writeKubernetesObjects(values.out, plan.resources);
    process.stdout.write(
      `${files.length} Kubernetes objects written under ${join(values.out, 'kubernetes')}\n`,
    );
    const alerting = await writeAlertingFiles(values.out, plan.stack as StackName, plan.resources);
    const out = values.out;
    process.stdout.write(
      `Alerting files: ${alerting.map((file) => relative(out, file)).join(', ')}\n`,
    );
  }
  if (values['no-policy']) return 0;
  const planned = plan.resources.map((resource) => ({
    ...resource,
    inputs: redactSecrets(resource.inputs) as Record<string, unknown>,
  }));
  const verdict = await checkPlan(plan.stack, planned);
  process.stdout.write(`\n${renderVerdict(verdict)}\n`);
  return verdict.mandatory > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Error && error.name === 'StackConfigError') {
      console.error(`\n${error.message}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
