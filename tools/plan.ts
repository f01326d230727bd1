import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AlertingNamespaces } from '../infra/alerting/namespaces.js';
import { STACKS, type StackName } from '../services/catalog.js';
import { renderTree } from './plan/render-tree.js';
import { runPlan } from './plan/run-plan.js';
import { redactSecrets } from './plan/secrets.js';
import { writeAlertingFiles } from './plan/write-alerting.js';
import { writeKubernetesObjects } from './plan/write-kubernetes.js';
import { checkPlan } from './policy-check/check.js';
import { renderVerdict } from './policy-check/report.js';

const USAGE = `usage: npm run plan -- --stack <${STACKS.join('|')}> [--stack-file <file>] [--json <file>] [--out <dir>] [--no-policy]`;

/**
 * Exit codes. A configuration error is 2, as for a bad argument: the command cannot run as given.
 * (The services exit 78, sysexits' EX_CONFIG, on a bad environment: a supervisor reads that
 * code, a person running plan reads the message.)
 */
const EXIT = { ok: 0, mandatoryViolation: 1, unexpected: 1, usage: 2, config: 2 } as const;

/** Errors that are the user's configuration, reported as sentences without a stack trace. */
const CONFIG_ERRORS = new Set(['StackConfigError', 'StackFileError']);
const root = resolve(import.meta.dirname, '..');

/**
 * `npm run plan`: the real Pulumi program, offline, under mocks with the stack's configuration.
 * Prints what it would create and the policy pack's verdicts (unless `--no-policy`); `--json`
 * writes the plan, `--out` the rendered Kubernetes objects; `--stack-file` reads the stack's
 * configuration from another file. Exit 0 on success, 1 when a mandatory policy is violated (or
 * on an unexpected failure), 2 on bad arguments or stack configuration, before anything is created.
 */
async function main(): Promise<number> {
  // The SDK records a stack trace per resource (its source position); mapping each through
  // source maps costs more than the rest of the plan. Errors still name the file.
  process.setSourceMapsEnabled(false);
  let values: {
    stack?: string;
    'stack-file'?: string;
    json?: string;
    out?: string;
    'no-policy'?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: 'string' },
        'stack-file': { type: 'string' },
        json: { type: 'string' },
        out: { type: 'string' },
        'no-policy': { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (!values.stack || !(STACKS as readonly string[]).includes(values.stack)) {
    console.error(
      `${values.stack ? `unknown stack '${values.stack}'` : '--stack is required'}\n${USAGE}`,
    );
    return EXIT.usage;
  }
  process.stderr.write(`Running the Pulumi program for stack ${values.stack} under mocks…\n`);
  const stackFile = values['stack-file'] ? resolve(values['stack-file']) : undefined;
  const plan = await runPlan({ root, stack: values.stack, stackFile });
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
    const alerting = await writeAlertingFiles(
      values.out,
      plan.stack as StackName,
      plan.resources,
      plan.outputs.namespaces as AlertingNamespaces | undefined,
    );
    const out = values.out;
    process.stdout.write(
      `Alerting files: ${alerting.map((file) => relative(out, file)).join(', ')}\n`,
    );
  }
  if (values['no-policy']) return EXIT.ok;
  const planned = plan.resources.map((resource) => ({
    ...resource,
    inputs: redactSecrets(resource.inputs) as Record<string, unknown>,
  }));
  const verdict = await checkPlan(plan.stack, planned);
  process.stdout.write(`\n${renderVerdict(verdict)}\n`);
  return verdict.mandatory > 0 ? EXIT.mandatoryViolation : EXIT.ok;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Error && CONFIG_ERRORS.has(error.name)) {
      console.error(`\n${error.message}`);
      process.exit(EXIT.config);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(EXIT.unexpected);
  },
);
