import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type ServiceName, serviceDefinition, serviceNames } from '../../../services/catalog.js';
import { type Pager, pagerDuty } from '../pagerduty-events.js';
import { type InstantQuery, prometheusQuery } from '../prometheus-query.js';
import { parseDigest } from '../release/digest.js';
import { rollBackToPreviousDigest } from '../release/digest-rollback.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { otherColour } from '../release/release-config.js';
import { deployPlan } from '../release/release-plans.js';
import { promDurationMs } from '../rollback/prom-duration.js';
import { guardRollingServices, type RollingDecision } from '../rollback/rolling-guard.js';
import { DEFAULT_WATCH, type WatchSettings } from '../rollback/watch.js';

export const DEPLOY_USAGE = `npm run ops -- deploy --stack <staging|production> --digest sha256:<64 hex> [options]

Deploys an image by digest: the rolling services get it (imageTag), the blue-green services get
it on their idle colour only (services.colorImageTags.<idle>; the live colour is untouched), then
pulumi up with a message naming the digest. Then watches every rolling service against the
catalog's rollback triggers in Prometheus; on a breach redeploys the image before it from the
stack's history (rollback --to-previous-digest), records why and pages. Prints the decision as
JSON, then the next step: smoke-test the idle colour through its own Service, then switch (or
canary).
  --message <text>        added to the update's message
  --duration <d>          watch window, a Prometheus duration (default 10m)
  --sustain <d>           how long a trigger must hold (default: the rollback alerts' for, 2m)
  --prometheus-url <url>  default: the stack output observability.prometheusUrl (in-cluster)
  --record <file>         also append the decision (a JSON line) to this file
Environment: PAGERDUTY_ROUTING_KEY (the stack's PagerDuty integration key) to page.
Exit code: 0 promoted, 1 rolled back (or it could not be), 2 unverified (Prometheus blind, or a
service's series not seen).`;

const EXIT_CODES: Record<RollingDecision['outcome'], number> = {
  promoted: 0,
  'rolled-back': 1,
  'rollback-failed': 1,
  unverified: 2,
};

/** What the deploy's watch talks to: PagerDuty and Prometheus, and where progress goes. */
export interface DeployWatchIo {
  /** The stack's pager; throws when it cannot page (asked before anything is deployed). */
  readonly pager: () => Pager;
  readonly query: (prometheusUrl: string) => InstantQuery;
  readonly log: (line: string) => void;
  /** Over the flags' (tests: a shorter check interval). */
  readonly settings?: Partial<WatchSettings>;
}

export const processWatchIo: DeployWatchIo = {
  pager: () => {
    const routingKey = process.env.PAGERDUTY_ROUTING_KEY;
    if (!routingKey) {
      throw new Error(
        'PAGERDUTY_ROUTING_KEY is not set: the deploy watch pages when it rolls back, and a rollback nobody hears of is not allowed',
      );
    }
    return pagerDuty(routingKey);
  },
  query: prometheusQuery,
  log: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/** The services a deploy rolls: every one not released blue-green. */
export const rollingServices = (): ServiceName[] =>
  serviceNames.filter((service) => serviceDefinition(service).rollout !== 'blue-green');

/** `ops deploy`: issue 22, item 3, with the rolling services watched (item 4). */
export async function deployCommand(
  argv: string[],
  io: CommandIo = processIo,
  watchIo: DeployWatchIo = processWatchIo,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      digest: { type: 'string' },
      message: { type: 'string' },
      duration: { type: 'string' },
      sustain: { type: 'string' },
      'prometheus-url': { type: 'string' },
      record: { type: 'string' },
    },
  });
  const name = stackArg(values.stack);
  const digest = parseDigest(values.digest);
  const settings: Partial<WatchSettings> = {
    durationMs: values.duration ? promDurationMs(values.duration) : DEFAULT_WATCH.durationMs,
    sustainMs: values.sustain ? promDurationMs(values.sustain) : DEFAULT_WATCH.sustainMs,
    ...watchIo.settings,
  };
  const page = watchIo.pager();
  const stack = await openAtLastDeployment(io, name);
  // Where to watch, known before anything is deployed: a deploy nobody can watch is refused.
  const outputs = await stack.outputs().catch(() => ({}) as Record<string, unknown>);
  const namespace = (outputs.namespaces as { services?: string } | undefined)?.services;
  const prometheusUrl =
    values['prometheus-url'] ??
    (outputs.observability as { prometheusUrl?: string } | undefined)?.prometheusUrl;
  if (!namespace || !prometheusUrl) {
    throw new Error(
      `the stack ${name} has no outputs namespaces.services and observability.prometheusUrl to watch the rolling services with: deploy it once with pulumi up, or pass --prometheus-url`,
    );
  }
  const config = await stack.config();
  const plan = deployPlan(config, digest, values.message);
  await stack.update(plan.changes, plan.message);

  const services = rollingServices();
  watchIo.log(
    `watching the rolling services on ${digest} for ${(settings.durationMs ?? 0) / 1000} s: ${services.join(', ')}`,
  );
  const decision = await guardRollingServices({
    stack: name,
    image: digest,
    services,
    namespace,
    query: watchIo.query(prometheusUrl),
    settings,
    log: watchIo.log,
    rollBack: async (reason) => {
      const rolled = await rollBackToPreviousDigest(stack, `automatic rollback: ${reason}`);
      if (!rolled.done) throw new Error(`nothing to roll back to: ${rolled.reason}`);
      return rolled.message;
    },
    page,
    record: async (decided) => {
      if (values.record) await appendFile(values.record, `${JSON.stringify(decided)}\n`);
    },
  });
  io.out(`${JSON.stringify(decision, null, 2)}\n`);
  if (decision.outcome !== 'promoted') {
    const said: Record<Exclude<RollingDecision['outcome'], 'promoted'>, string> = {
      'rolled-back': `${digest} rolled back. Do not switch: the idle colour still runs it (switch and canary refuse it); deploy a fixed digest`,
      'rollback-failed': `${digest} breached a rollback trigger and was NOT rolled back: roll back by hand (npm run ops -- rollback --stack ${name} --to-previous-digest)`,
      unverified: `${digest} is deployed but unverified`,
    };
    io.out(`${name}: ${said[decision.outcome]} (${decision.reason}).\n`);
    return EXIT_CODES[decision.outcome];
  }
  const idle = otherColour(config.activeColor);
  const checks = serviceNames
    .filter((service) => serviceDefinition(service).rollout === 'blue-green')
    .map((service) => {
      const { port } = serviceDefinition(service);
      return `  ${service}: http://${service}-${idle}.${namespace}.svc.cluster.local:${port}/readyz`;
    });
  io.out(
    [
      `deployed ${digest} to ${name}: rolling services updated and watched; idle colour ${idle} runs it, ${config.activeColor} stays live.`,
      'Next: smoke-test the idle colour through its own Service (from inside the cluster):',
      ...checks,
      `then make it live: npm run ops -- switch --stack ${name} --watch`,
      `or step by step:   npm run ops -- canary --stack ${name} --steps 10,25,50,100 --step-seconds 300`,
      '',
    ].join('\n'),
  );
  return 0;
}
