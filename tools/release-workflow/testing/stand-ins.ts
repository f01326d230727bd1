import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a stand-in answers to a call whose arguments start with `args`. */
export interface StandInAnswer {
  readonly args: readonly string[];
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exit?: number;
  /**
   * As `kubectl port-forward` does: listens on the last argument's `<address>:<port>:<port>` until
   * it is killed (then `exit` is never reached).
   */
  readonly holdPort?: boolean;
}

/** One call a script made: the executable's name and its arguments. */
export interface RecordedCall {
  readonly name: string;
  readonly args: readonly string[];
}

export interface StandIns {
  /** The directory to put first on PATH. */
  readonly bin: string;
  /** Every call made so far, in order. */
  calls(): Promise<RecordedCall[]>;
  /** Runs `script` with bash, the stand-ins first on PATH; resolves with its exit code and output. */
  run(
    script: string,
    args: readonly string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/**
 * Executables named `names` (gcloud, kubectl, gh, docker, ...) that record each call (a JSON line)
 * and answer with the first of `answers[name]` whose `args` start the call's arguments (else exit
 * 0, no output): what a shell script of the release workflow calls, without a cloud.
 */
export async function standIns(
  answers: Readonly<Record<string, readonly StandInAnswer[]>>,
): Promise<StandIns> {
  const dir = await mkdtemp(join(tmpdir(), 'stand-ins-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.jsonl');
  await writeFile(log, '');
  await mkdir(bin);
  for (const [name, rules] of Object.entries(answers)) {
    const file = join(bin, name);
    await writeFile(
      file,
      `#!${process.execPath}
const { appendFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ name: ${JSON.stringify(name)}, args }) + '\\n');
const rules = ${JSON.stringify(rules)};
const rule = rules.find((r) => r.args.every((arg, i) => args[i] === arg));
if (rule?.stdout) process.stdout.write(rule.stdout);
if (rule?.stderr) process.stderr.write(rule.stderr);
if (rule?.holdPort) {
  const [address, port] = args[args.length - 1].split(':');
  require('node:net').createServer((socket) => socket.end()).listen(Number(port), address);
} else {
  process.exitCode = rule?.exit ?? 0;
}
`,
    );
    await chmod(file, 0o755);
  }
  return {
    bin,
    calls: async () =>
      (await readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedCall),
    run: (script, args, env = {}) =>
      new Promise((resolve) => {
        execFile(
          'bash',
          [script, ...args],
          { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH ?? ''}` } },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
