import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import type { z } from 'zod';
import { serviceDefinition } from '../../../services/catalog.js';
import { secretKeysOf } from '../../../services/platform/config.js';
import { objectsByName, type ServiceDeployment, serviceDeployments } from './workloads.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes object inputs are untyped JSON
type Json = Record<string, any>;

/** Environment a container receives: literal values, and keys whose value comes from elsewhere. */
export interface ProvidedEnv {
  readonly literals: Map<string, string>;
  readonly referenced: Set<string>;
}

export function providedEnv(
  deployment: Pick<ServiceDeployment, 'containers' | 'namespace'>,
  resources: readonly PolicyResource[],
): ProvidedEnv {
  const configMaps = objectsByName(resources, 'ConfigMap', deployment.namespace);
  const secrets = objectsByName(resources, 'Secret', deployment.namespace);
  const literals = new Map<string, string>();
  const referenced = new Set<string>();
  for (const container of deployment.containers) {
    for (const source of (container.envFrom ?? []) as Json[]) {
      const configMap = source.configMapRef ? configMaps.get(source.configMapRef.name) : undefined;
      for (const [key, value] of Object.entries(configMap?.data ?? {}))
        literals.set(key, String(value));
      const secret = source.secretRef ? secrets.get(source.secretRef.name) : undefined;
      for (const key of Object.keys({ ...secret?.data, ...secret?.stringData }))
        referenced.add(key);
    }
    for (const variable of (container.env ?? []) as Json[]) {
      if (typeof variable.value === 'string') literals.set(variable.name, variable.value);
      else if (variable.valueFrom) referenced.add(variable.name);
    }
  }
  return { literals, referenced };
}

/** Keys of the schema that have no default and are not optional. */
function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key);
}

/**
 * Credentials an SDK reads from the environment by itself (the AWS credential chain, for Bedrock):
 * secret, though no env schema names them.
 */
const SDK_CREDENTIALS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/**
 * Each deployed service receives every variable its catalog env schema requires, every literal
 * value it receives is valid for that variable (values from Secrets are not visible), and no
 * variable its schema marks secret (nor an SDK's credential) arrives as a plain value.
 */
export const serviceEnvContract: StackValidationPolicy = {
  name: 'platform-service-env-contract',
  description:
    "Each deployed service's environment satisfies its env schema in the service catalog.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    for (const deployment of serviceDeployments(resources)) {
      const schema = serviceDefinition(deployment.service).env;
      const { literals, referenced } = providedEnv(deployment, resources);
      const missing = requiredKeys(schema).filter(
        (key) => !literals.has(key) && !referenced.has(key),
      );
      if (missing.length > 0) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) does not provide ${missing.join(', ')}, required by its env schema in services/${deployment.service}/definition.ts: add them to its ConfigMap, or to its Secret when secret.`,
          deployment.resource.urn,
        );
      }
      const secret = new Set([...secretKeysOf(schema), ...SDK_CREDENTIALS]);
      const plain = [...literals.keys()].filter((key) => secret.has(key));
      if (plain.length > 0) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) receives ${plain.join(', ')} as plain values (a ConfigMap or the container's env), but they are secrets: deliver them from its Secret.`,
          deployment.resource.urn,
        );
      }
      for (const [key, value] of literals) {
        const field = schema.shape[key] as z.ZodType | undefined;
        const result = field?.safeParse(value);
        if (result && !result.success) {
          reportViolation(
            `${deployment.label} (service ${deployment.service}) sets ${key}='${value}', which its env schema refuses: ${result.error.issues[0]?.message}.`,
            deployment.resource.urn,
          );
        }
      }
    }
  },
};
