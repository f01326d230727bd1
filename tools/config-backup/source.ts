import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StackName } from '../../services/catalog.js';

const run = promisify(execFile);

/**
 * Where a configuration backup reads a stack from: the Pulumi CLI on the stack's backend
 * ({@link pulumiCliSource}), an in-memory stack in tests (`testing/fake-backup-source.ts`).
 * Neither method ever decrypts: the secrets stay the secrets provider's ciphertext.
 */
export interface BackupSource {
  readonly name: StackName;
  /**
   * `Pulumi.<stack>.yaml` as the stack's last update ran it (`pulumi config refresh --force`):
   * git's copy is stale once `ops` has set an image, a colour or a flag. Secrets as `secure:`.
   */
  deployedConfigFile(): Promise<string>;
  /** The stack's state as `pulumi stack export` writes it, never `--show-secrets`: JSON text. */
  exportedState(): Promise<string>;
}

/**
 * The stack through the Pulumi CLI, logged in to its backend (`PULUMI_BACKEND_URL`). Not the
 * Automation API: its `exportStack` passes `--show-secrets` and its `refreshConfig` reads the
 * whole config back with `--show-secrets`, so both decrypt every secret (and need the secrets
 * key). Here the CLI only copies ciphertext; the backup's account holds no right on the key, so a
 * command that tried to decrypt would fail rather than see a secret.
 *
 * `config refresh` runs in a temporary project (a copy of `Pulumi.yaml` alone), so a backup by
 * hand never overwrites the checkout's `Pulumi.<stack>.yaml`, and git's stale copy can never be
 * read in place of the deployed one.
 */
export function pulumiCliSource(
  name: StackName,
  { root, pulumi = 'pulumi' }: { root: string; pulumi?: string },
): BackupSource {
  const cli = async (args: string[], cwd: string) => {
    const command = [...args, '--stack', name, '--non-interactive'];
    try {
      return (await run(pulumi, command, { cwd, maxBuffer: 1 << 30 })).stdout;
    } catch (error) {
      const { code, stderr } = error as { code?: number | string; stderr?: string };
      const reason =
        code === 'ENOENT' ? 'not installed' : (stderr?.trim().split('\n').at(-1) ?? `exit ${code}`);
      throw new Error(`${pulumi} ${args.join(' ')}: ${reason}`);
    }
  };
  return {
    name,
    deployedConfigFile: async () => {
      const project = await mkdtemp(join(tmpdir(), 'config-backup-'));
      try {
        await copyFile(join(root, 'Pulumi.yaml'), join(project, 'Pulumi.yaml'));
        await cli(['config', 'refresh', '--force'], project);
        return await readFile(join(project, `Pulumi.${name}.yaml`), 'utf8');
      } finally {
        await rm(project, { recursive: true, force: true });
      }
    },
    exportedState: () => cli(['stack', 'export'], root),
  };
}
