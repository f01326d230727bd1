import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isServiceName, STACKS, type StackName } from '../../../services/catalog.js';
import { pagerDuty } from '../pagerduty-events.js';
import { prometheusQuery } from '../prometheus-query.js';
import {
  activeColour,
  openStack,
  otherColour,
  readStackOutputs,
  refreshStackConfig,
} from '../pulumi-stack.js';
import { automationReleaseStack } from '../release/release-stack.js';
import { rollBackWatchedRelease } from '../release/watch-rollback.js';
import { guardRelease, type ReleaseDecision } from '../rollback/decide.js';
import { promDurationMs } from '../rollback/prom-duration.js';
import { DEFAULT_WATCH } from '../rollback/watch.js';

export const WATCH_USAGE = `npm run ops -- watch --stack <staging|production> [options]

Watches the release just switched to (the stack's services.activeColor) against the catalog's
rollback triggers in Prometheus; on a breach switches back and, when the rolling services run the
released image (they took it during ops deploy), redeploys the image before it to them in the same
pulumi up (rollback --to-previous-digest); records why and pages. Prints the decision as JSON.
  --service <name>        the blue-green service (default aia-api)
  --duration <d>          watch window, a Prometheus duration (default 10m)
  --sustain <d>           how long a trigger must hold (default: the rollback alerts' for, 2m)
  --prometheus-url <url>  default: the stack output observability.prometheusUrl (in-cluster)
  --namespace <ns>        default: the stack output namespaces.services
  --colour <c> --previous <c>   default: the active colour and the other one
  --record <file>         also append the decision (a JSON line) to this file
  --dry-run               decide and print; switch nothing, page nobody
Environment: PAGERDUTY_ROUTING_KEY (the stack's PagerDuty integration key) to page.
Exit code: 0 promoted, 1 rolled back (or the rollback failed), 2 unverified (Prometheus blind).`;

const EXIT_CODES: Record<ReleaseDecision['outcome'], number> = {
  promoted: 0,
  'rolled-back': 1,
  'rollback-failed': 1,
  unverified: 2,
};

const colourArg = (name: string, value: string | undefined): 'blue' | 'green' | undefined => {
  if (value === undefined || value === 'blue' || value === 'green') return value;
  throw new Error(`--${name}: expected blue or green, got "${value}"`);
};

const noPulumi = (error: Error): never => {
  const cause = /ENOENT/.test(error.message)
    ? 'the Pulumi CLI is not installed'
    : (error.message.split('\n')[0] ?? 'unknown error');
  throw new Error(
    `cannot open the stack (${cause}): install Pulumi and log in, or pass --prometheus-url, --namespace, --colour and --dry-run`,
  );
};

/** `ops watch`: the automated rollback of issue 22 (item 4). */
export async function watchCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      service: { type: 'string', default: 'aia-api' },
      duration: { type: 'string' },
      sustain: { type: 'string' },
      'prometheus-url': { type: 'string' },
      namespace: { type: 'string' },
      colour: { type: 'string' },
      previous: { type: 'string' },
      record: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const stackName = values.stack;
  if (!stackName || !(STACKS as readonly string[]).includes(stackName)) {
    throw new Error(`--stack: expected one of ${STACKS.join(', ')}, got "${stackName ?? ''}"`);
  }
  if (!isServiceName(values.service)) throw new Error(`--service: no service "${values.service}"`);
  const service = values.service;
  const durationMs = values.duration ? promDurationMs(values.duration) : DEFAULT_WATCH.durationMs;
  const sustainMs = values.sustain ? promDurationMs(values.sustain) : DEFAULT_WATCH.sustainMs;
  const given = {
    prometheusUrl: values['prometheus-url'],
    namespace: values.namespace,
    colour: colourArg('colour', values.colour),
    previous: colourArg('previous', values.previous),
  };
  const routingKey = process.env.PAGERDUTY_ROUTING_KEY;
  if (!values['dry-run'] && !routingKey) {
    throw new Error(
      'PAGERDUTY_ROUTING_KEY is not set: a rollback nobody hears of is not allowed (or use --dry-run)',
    );
  }
  // The stack is asked only for what the flags leave open (the Pulumi CLI is needed then).
  const needsStack =
    !values['dry-run'] || !given.prometheusUrl || !given.namespace || !given.colour;
  const stack = needsStack ? await openStack(stackName as StackName).catch(noPulumi) : undefined;
  const outputs =
    stack && (!given.prometheusUrl || !given.namespace) ? await readStackOutputs(stack) : undefined;
  // The live colour is the last deployment's, not git's copy of Pulumi.<stack>.yaml.
  if (stack) await refreshStackConfig(stack);
  const colour = given.colour ?? (stack ? await activeColour(stack) : 'blue');
  const previousColour = given.previous ?? otherColour(colour);
  const log = (line: string) => {
    process.stderr.write(`${line}\n`);
  };
  log(
    `watching ${stackName}/${service} ${colour} for ${durationMs / 1000} s (previous: ${previousColour})`,
  );
  const decision = await guardRelease({
    stack: stackName,
    previousColour,
    watch: {
      service,
      namespace: given.namespace ?? (outputs?.namespaces.services as string),
      colour,
      query: prometheusQuery(
        given.prometheusUrl ?? (outputs?.observability.prometheusUrl as string),
      ),
      settings: { durationMs, sustainMs },
      log,
    },
    switchTo: async (to, reason) => {
      if (values['dry-run'] || !stack) {
        log(`dry run: would roll the release back to ${to}: ${reason}`);
        return undefined;
      }
      return rollBackWatchedRelease(automationReleaseStack(stackName as StackName, stack), {
        colour,
        previousColour: to as 'blue' | 'green',
        reason,
      });
    },
    page: async (event) => {
      if (values['dry-run'] || !routingKey) return log(`dry run: would page: ${event.summary}`);
      await pagerDuty(routingKey)(event);
    },
    record: async (decision) => {
      if (values.record) await appendFile(values.record, `${JSON.stringify(decision)}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
  return EXIT_CODES[decision.outcome];
}
