import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STACKS, type StackName } from '../services/catalog.js';
import { backUpStack, ConfigBackupRefused } from './config-backup/backup.js';
import { pulumiCliSource } from './config-backup/source.js';

/**
 * `npm run --silent config:backup -- --stack <stack> --out <dir>`: the stack's deployed config and
 * its state, secrets as ciphertext, into `<dir>/<stack>/<UTC timestamp>/` with a manifest
 * (docs/restore-drill.md, Stack configuration and state). Needs the Pulumi CLI logged in to the
 * stack's backend. Prints `dir=<folder>` and `bucket=<backups.configBucket>` for `$GITHUB_OUTPUT`;
 * exits 1 naming the key when a secret is in plain text (nothing written), 64 on bad flags.
 */
const { values } = parseArgs({ options: { stack: { type: 'string' }, out: { type: 'string' } } });
if (!values.stack || !(STACKS as readonly string[]).includes(values.stack) || !values.out) {
  process.stderr.write(
    `config:backup: --stack (one of ${STACKS.join(', ')}) and --out <dir> are required\n`,
  );
  process.exit(64);
}
const stack = values.stack as StackName;
try {
  const source = pulumiCliSource(stack, { root: join(import.meta.dirname, '..') });
  const backup = await backUpStack(source, { out: values.out });
  process.stderr.write(
    `config:backup: ${stack} backed up in ${backup.dir} (${Object.keys(backup.manifest.files).join(', ')}, manifest.json)\n`,
  );
  if (!backup.bucket) {
    process.stderr.write(
      `config:backup: the stack has no output backups.configBucket: pulumi up this program on ${stack} to create the bucket\n`,
    );
  }
  process.stdout.write(`dir=${backup.dir}\n${backup.bucket ? `bucket=${backup.bucket}\n` : ''}`);
} catch (error) {
  const message =
    error instanceof ConfigBackupRefused
      ? error.message
      : `cannot back up ${stack}: ${(error as Error).message} (needs the Pulumi CLI logged in to the stack's backend)`;
  process.stderr.write(`config:backup: ${message}\n`);
  process.exit(1);
}
