import { join } from 'node:path';
import type { RecordedResource } from '../../tools/plan/recorder.js';
import { type Plan, runPlan } from '../../tools/plan/run-plan.js';
import { unwrapSecrets } from '../../tools/plan/secrets.js';

export const repositoryRoot = join(import.meta.dirname, '..', '..');

/** Runs the real program offline for `stack` (one stack per test file: Pulumi's state is global). */
export const planStack = (stack: string): Promise<Plan> => runPlan({ root: repositoryRoot, stack });

/** Queries over a plan's recorded resources, with inputs unwrapped as policies see them. */
export function queries(plan: Plan) {
  const ofType = (type: string): RecordedResource[] =>
    plan.resources.filter((resource) => resource.type === type);
  const inputsOf = (resource: RecordedResource | undefined) => {
    if (!resource) throw new Error('resource not recorded');
    // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON that tests index freely
    return unwrapSecrets(resource.inputs) as Record<string, any>;
  };
  const one = (type: string) => {
    const found = ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return inputsOf(found[0]);
  };
  /** A service's rendered environment: its `<service>-env` ConfigMap's data and Secret. */
  const environmentOf = (service: string) => {
    const named = (type: string) =>
      ofType(type).find((resource) => inputsOf(resource).metadata?.name === `${service}-env`);
    const secret = named('kubernetes:core/v1:Secret');
    return {
      config: inputsOf(named('kubernetes:core/v1:ConfigMap')).data as Record<string, string>,
      secrets: inputsOf(secret).stringData as Record<string, string>,
      /** The Secret's stringData as recorded: each value still wrapped as a secret. */
      wrappedSecrets: secret?.inputs.stringData as Record<string, unknown>,
    };
  };
  return { ofType, inputsOf, one, environmentOf };
}
