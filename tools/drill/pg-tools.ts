import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPostgresBinaries } from '../local-servers/index.js';

const exec = promisify(execFile);

/** Output of a PostgreSQL client program that exited 0. */
export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program of PostgreSQL's bin directory (`pg_basebackup`, `pg_verifybackup`,
 * `pg_waldump`, ...) beside the `postgres` that `startPostgres` runs, so client and server are
 * one version. `env` is added to this process's environment (a password goes in `PGPASSWORD`,
 * never on the command line, where `ps` shows it); timestamps print in UTC.
 * @throws Error naming the program with the last lines it wrote, when it exits non-zero.
 */
export async function runPgTool(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<ToolOutput> {
  const path = join(findPostgresBinaries().binDir, program);
  try {
    const { stdout, stderr } = await exec(path, [...args], {
      env: { ...process.env, TZ: 'UTC', ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stderr}${stdout}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`${program} failed: ${tail || (error as Error).message}`);
  }
}
