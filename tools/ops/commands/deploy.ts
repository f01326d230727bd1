import { parseArgs } from 'node:util';
import { serviceDefinition, serviceNames } from '../../../services/catalog.js';
import { parseDigest } from '../release/digest.js';
import {
  type CommandIo,
  openAtLastDeployment,
  processIo,
  stackArg,
} from '../release/open-release-stack.js';
import { otherColour } from '../release/release-config.js';
import { deployPlan } from '../release/release-plans.js';

export const DEPLOY_USAGE = `npm run ops -- deploy --stack <staging|production> --digest sha256:<64 hex> [--message <text>]

Deploys an image by digest: the rolling services get it (imageTag), the blue-green services get
it on their idle colour only (services.colorImageTags.<idle>; the live colour is untouched), then
pulumi up with a message naming the digest. Prints the next step: smoke-test the idle colour
through its own Service, then switch (or canary).`;

/** `ops deploy`: issue 22, item 3. */
export async function deployCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: 'string' },
      digest: { type: 'string' },
      message: { type: 'string' },
    },
  });
  const name = stackArg(values.stack);
  const digest = parseDigest(values.digest);
  const stack = await openAtLastDeployment(io, name);
  const config = await stack.config();
  const plan = deployPlan(config, digest, values.message);
  await stack.update(plan.changes, plan.message);
  const idle = otherColour(config.activeColor);
  const outputs = await stack.outputs().catch(() => ({}) as Record<string, unknown>);
  const namespace =
    (outputs.namespaces as { services?: string } | undefined)?.services ?? '<namespace>';
  const checks = serviceNames
    .filter((service) => serviceDefinition(service).rollout === 'blue-green')
    .map((service) => {
      const { port } = serviceDefinition(service);
      return `  ${service}: http://${service}-${idle}.${namespace}.svc.cluster.local:${port}/readyz`;
    });
  io.out(
    [
      `deployed ${digest} to ${name}: rolling services updated; idle colour ${idle} runs it, ${config.activeColor} stays live.`,
      'Next: smoke-test the idle colour through its own Service (from inside the cluster):',
      ...checks,
      `then make it live: npm run ops -- switch --stack ${name} --watch`,
      `or step by step:   npm run ops -- canary --stack ${name} --steps 10,25,50,100 --step-seconds 300`,
      '',
    ].join('\n'),
  );
  return 0;
}
