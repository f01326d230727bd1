import { parse } from 'yaml';
import { isSecretWrapper } from '../plan/secrets.js';

/**
 * The keys of `secretKeys` that a stack file holds in plain text: any value but `{ secure: <ciphertext> }`.
 * Values are never returned, only keys.
 */
export function plainSecretKeys(stackFile: string, secretKeys: readonly string[]): string[] {
  const config = (parse(stackFile) as { config?: Record<string, unknown> } | null)?.config ?? {};
  return secretKeys.filter((key) => {
    if (!(key in config)) return false;
    const value = config[key] as { secure?: unknown } | null;
    return !(typeof value === 'object' && value !== null && typeof value.secure === 'string');
  });
}

/**
 * Where exported state holds a secret decrypted (`plaintext` beside Pulumi's secret marker, as
 * `pulumi stack export --show-secrets` writes it): JSON paths, never the values.
 */
export function decryptedSecretPaths(state: unknown, path = '$'): string[] {
  if (Array.isArray(state)) {
    return state.flatMap((item, index) => decryptedSecretPaths(item, `${path}[${index}]`));
  }
  if (typeof state !== 'object' || state === null) return [];
  if (isSecretWrapper(state)) return 'plaintext' in state ? [path] : [];
  return Object.entries(state).flatMap(([key, value]) =>
    decryptedSecretPaths(value, `${path}.${key}`),
  );
}

interface ExportedState {
  readonly deployment?: {
    readonly secrets_providers?: {
      readonly type?: string;
      readonly state?: { readonly url?: string };
    };
    readonly resources?: readonly {
      readonly type?: string;
      readonly outputs?: Record<string, unknown>;
    }[];
  };
}

/** The secrets provider the state's ciphertext needs (`gcpkms://…`), when the state names one. */
export const secretsProviderOf = (state: ExportedState): string | undefined =>
  state.deployment?.secrets_providers?.state?.url ?? state.deployment?.secrets_providers?.type;

/** The stack output `backups.configBucket`, read from the root stack resource of the export. */
export function configBucketOf(state: ExportedState): string | undefined {
  const root = state.deployment?.resources?.find(({ type }) => type === 'pulumi:pulumi:Stack');
  const backups = root?.outputs?.backups as { configBucket?: unknown } | undefined;
  return typeof backups?.configBucket === 'string' ? backups.configBucket : undefined;
}
