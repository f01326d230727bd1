import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { parseDecimal } from '../../services/economic-governor/governance/zk/field.js';
import { UsageError } from '../local-stack/usage-error.js';

/** The format tag written into every voter file. */
export const VOTER_FILE_FORMAT = 'aia-governance-voter/1';

/** Owner read and write only: the file holds the secret. */
export const VOTER_FILE_MODE = 0o600;

/**
 * What a voter keeps on their machine: the secret (never sent with a private vote) and, once
 * registered, the account and the identity registered for it. `weight` is only in files
 * registered before leaves were bound to stake; it is ignored and dropped at the next register.
 */
export interface VoterFile {
  readonly format: typeof VOTER_FILE_FORMAT;
  readonly secret: string;
  readonly account_id?: string;
  readonly commitment?: string;
  readonly weight?: string;
}

const serialise = (voter: VoterFile): string => `${JSON.stringify(voter, null, 2)}\n`;

/** Writes a new voter file, mode 0600; refuses to replace an existing file (a secret in use). */
export function createVoterFile(path: string, secret: bigint): void {
  try {
    writeFileSync(path, serialise({ format: VOTER_FILE_FORMAT, secret: secret.toString() }), {
      mode: VOTER_FILE_MODE,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(
        `--out: ${path} exists; it may hold a secret in use, so it is never replaced (choose another file)`,
      );
    }
    throw new UsageError(`--out: cannot write ${path} (${(error as Error).message})`);
  }
}

/** Reads and checks a voter file; `warn` hears when others may read it. */
export function readVoterFile(path: string, warn: (line: string) => void): VoterFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    if ((statSync(path).mode & 0o077) !== 0) {
      warn(`warning: ${path} can be read by other users; it holds your secret (chmod 600 it)`);
    }
  } catch (error) {
    throw new UsageError(`--voter: cannot read ${path} (${(error as Error).message})`);
  }
  let voter: Partial<VoterFile>;
  try {
    voter = JSON.parse(text) as Partial<VoterFile>;
  } catch {
    throw new UsageError(`--voter: ${path} is not JSON (a file written by \`governance init\`)`);
  }
  if (voter.format !== VOTER_FILE_FORMAT || parseDecimal(voter.secret) === undefined) {
    throw new UsageError(
      `--voter: ${path} is not a voter file (format ${VOTER_FILE_FORMAT} with a decimal secret)`,
    );
  }
  return voter as VoterFile;
}

/**
 * Replaces the voter file with `voter`, keeping mode 0600: written beside it under a fresh name
 * and renamed over it, so a crash never leaves half a secret.
 */
export function updateVoterFile(path: string, voter: VoterFile): void {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, serialise(voter), { mode: VOTER_FILE_MODE, flag: 'wx' });
  renameSync(temporary, path);
}
