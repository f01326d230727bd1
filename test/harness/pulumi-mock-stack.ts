import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { unwrapSecrets } from '../../tools/plan/secrets.js';

/**
 * Test support for the infra components: a mock Pulumi stack that records every resource.
 * Pulumi's runtime state is global, so start one stack per test file.
 */

export { holdsSecret, SECRET_SIGNATURE_KEY, unwrapSecrets } from '../../tools/plan/secrets.js';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine received them: secrets still wrapped. */
  readonly inputs: Record<string, unknown>;
  /** The same inputs with every secret wrapper removed. */
  readonly plain: Record<string, unknown>;
}

/** What the mock provider returns beyond the inputs (computed outputs; `id` overrides the id). */
export type MockOutputs = (resource: RecordedResource) => Record<string, unknown>;

/**
 * Sets Pulumi mocks for stack `stack` of project `aia-platform` and returns the list every
 * registered resource (components included) is appended to. Each resource gets id
 * `<name>-id` and its inputs back as state, plus `outputs(resource)`.
 */
export async function startMockStack(
  stack: string,
  outputs: MockOutputs,
): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const resource: RecordedResource = {
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          plain: unwrapSecrets(args.inputs) as Record<string, unknown>,
        };
        recorded.push(resource);
        const { id, ...state } = outputs(resource);
        return {
          id: typeof id === 'string' ? id : `${args.name}-id`,
          state: { ...args.inputs, ...state },
        };
      },
      call: (args) => args.inputs,
    },
    'aia-platform',
    stack,
    false,
  );
  return recorded;
}

/**
 * What Secret Manager computes: a secret's full id (as `id` and `name`), a version's name and
 * number. Nothing for other types, so a test's outputs function can fall back to it.
 */
export function secretManagerOutputs({ type, plain }: RecordedResource): Record<string, unknown> {
  switch (type) {
    case 'gcp:secretmanager/secret:Secret': {
      const id = `projects/${plain.project}/secrets/${plain.secretId}`;
      return { id, name: id };
    }
    case 'gcp:secretmanager/secretVersion:SecretVersion':
      return { name: `${plain.secret}/versions/1`, version: '1' };
    default:
      return {};
  }
}

/**
 * What IAM computes for a service account: its email (`<accountId>@<project>.iam…`) and its IAM
 * member. Nothing for other types, so a test's outputs function can fall back to it.
 */
export function serviceAccountOutputs({ type, plain }: RecordedResource): Record<string, unknown> {
  if (type !== 'gcp:serviceaccount/account:Account') return {};
  const email = `${plain.accountId}@${plain.project}.iam.gserviceaccount.com`;
  return { email, member: `serviceAccount:${email}` };
}

/** The value of an output once known (mocks run outside preview, so every output resolves). */
export const resolve = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((done) => {
    output.apply(done);
  });

/** Resources of one type, in registration order. */
export const ofType = (recorded: readonly RecordedResource[], type: string): RecordedResource[] =>
  recorded.filter((resource) => resource.type === type);

/** The private services access connection Cloud SQL and Memorystore depend on, for their tests. */
export const mockPrivateServicesConnection = (network: string) =>
  new gcp.servicenetworking.Connection('psa', {
    network,
    service: 'servicenetworking.googleapis.com',
    reservedPeeringRanges: ['aia-private-services'],
  });
