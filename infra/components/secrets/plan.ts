/** An environment variable name: upper-case letters, digits and `_`, starting with a letter. */
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** `ENCRYPTION_KEY` → `encryption-key`: the secret ID suffix of an environment variable. */
export const kebabCase = (envName: string): string => envName.toLowerCase().replaceAll('_', '-');

/** Where one platform secret's value comes from. */
export interface SecretSource {
  readonly envName: string;
  readonly source: 'generated' | 'provided';
}

/**
 * Which secrets to generate and which to store as provided: every provided value is stored, and
 * a generated name is generated only when no value is provided for it. Sorted by name; throws,
 * saying why, on a name that is not an environment variable name or is listed twice.
 */
export function planSecrets(
  generated: readonly string[],
  provided: readonly string[],
): SecretSource[] {
  const names = [...generated, ...provided];
  for (const envName of names) {
    if (!ENV_NAME.test(envName)) {
      throw new Error(
        `Secret "${envName}" must be an environment variable name such as ENCRYPTION_KEY`,
      );
    }
  }
  const duplicate = generated.find((envName, index) => generated.indexOf(envName) !== index);
  if (duplicate) throw new Error(`Secret ${duplicate} is listed twice in generated`);
  const sources = new Map<string, SecretSource['source']>(
    generated.map((envName) => [envName, 'generated'] as const),
  );
  for (const envName of provided) sources.set(envName, 'provided');
  return [...sources]
    .map(([envName, source]) => ({ envName, source }))
    .sort((a, b) => a.envName.localeCompare(b.envName));
}
