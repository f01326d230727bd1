import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stackOutputsSchema } from '../../../infra/outputs.js';
import { isServiceName, serviceDefinition } from '../../../services/catalog.js';
import { pagerDuty } from '../pagerduty-events.js';
import { prometheusQuery } from '../prometheus-query.js';
import { parseCanarySteps, runCanary } from '../release/canary-run.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { checkIdleColour } from '../release/rolled-back-image.js';
import { promDurationMs } from '../rollback/prom-duration.js';
import { DEFAULT_WATCH } from '../rollback/watch.js';

export const CANARY_USAGE = `npm run ops -- canary --stack <staging|production> --steps 10,25,50,100 --step-seconds <n> [options]

A replica-ratio canary of the blue-green service's idle colour (deployed with \`ops deploy\`): each
step sets services.canary.percent (the stable Service selects both colours, each held at its share
of pods) and pulumi up, then watches the rollback triggers on the idle colour's series for the
step's window; 100 switches it live (and is watched too). A breach, a blind Prometheus or a step
without traffic aborts: back to the live colour alone (0 %), the decision recorded, PagerDuty paged.
  --service <name>        the blue-green service (default aia-api)
  --sustain <d>           how long a trigger must hold (default: the rollback alerts' for, 2m)
  --prometheus-url <url>  default: the stack output observability.prometheusUrl (in-cluster)
  --namespace <ns>        default: the stack output namespaces.services
  --record <file>         also append the decision (a JSON line) to this file
  --force --reason <why>  run it although the idle colour's image was rolled back (below)
Refused (exit code 1, nothing changed) when the stack's history records the idle colour's image as
rolled back (by the deploy watch, rollback, ops watch or a canary's abort): deploy a fixed digest.
With --force --reason, the override and why are recorded in each step's update message.
Environment: PAGERDUTY_ROUTING_KEY (the stack's PagerDuty integration key).
Exit code: 0 promoted, 1 aborted or refused.`;

/** `ops canary`: issue 22, item 5. */
export async function canaryCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      steps: { type: 'string' },
      'step-seconds': { type: 'string' },
      service: { type: 'string', default: 'aia-api' },
      sustain: { type: 'string' },
      'prometheus-url': { type: 'string' },
      namespace: { type: 'string' },
      record: { type: 'string' },
      force: { type: 'boolean', default: false },
      reason: { type: 'string' },
    },
  });
  const name = stackArg(values.stack);
  const steps = parseCanarySteps(values.steps);
  const stepSeconds = Number(values['step-seconds']);
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) {
    throw new Error(
      `--step-seconds: expected a whole number of seconds, got "${values['step-seconds'] ?? ''}"`,
    );
  }
  const service = values.service;
  if (!isServiceName(service) || serviceDefinition(service).rollout !== 'blue-green') {
    throw new Error(`--service: "${service}" is not a blue-green service of the catalog`);
  }
  const sustainMs = values.sustain ? promDurationMs(values.sustain) : DEFAULT_WATCH.sustainMs;
  const routingKey = process.env.PAGERDUTY_ROUTING_KEY;
  if (!routingKey) {
    throw new Error('PAGERDUTY_ROUTING_KEY is not set: an abort nobody hears of is not allowed');
  }
  const stack = await openAtLastDeployment(io, name);
  const check = checkIdleColour({
    command: 'canary',
    stack: name,
    config: await stack.config(),
    history: await stack.history(),
    force: values.force,
    reason: values.reason,
  });
  if (!check.allowed) {
    io.out(check.message);
    return 1;
  }
  const outputs =
    values['prometheus-url'] && values.namespace
      ? undefined
      : stackOutputsSchema.parse(await stack.outputs());
  const log = (line: string) => {
    process.stderr.write(`${line}\n`);
  };
  const decision = await runCanary({
    stack,
    steps,
    stepMs: stepSeconds * 1000,
    watch: {
      service,
      namespace: values.namespace ?? (outputs?.namespaces.services as string),
      query: prometheusQuery(
        values['prometheus-url'] ?? (outputs?.observability.prometheusUrl as string),
      ),
      settings: { sustainMs },
      log,
    },
    page: pagerDuty(routingKey),
    record: async (decided) => {
      if (values.record) await appendFile(values.record, `${JSON.stringify(decided)}\n`);
    },
    log,
    ...(check.reason ? { note: check.reason } : {}),
  });
  io.out(`${JSON.stringify(decision, null, 2)}\n`);
  return decision.outcome === 'promoted' ? 0 : 1;
}
