import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { envPairs, execForm, type Instruction, parseDockerfile } from './dockerfile.js';

export interface BuildImageContentsOptions {
  /** The build context: the repository root. */
  readonly context: string;
  /** Empty directory the stages are built in; the image's file system is `<outDir>/image`. */
  readonly outDir: string;
  readonly dockerfile?: string;
  readonly buildArgs?: Record<string, string>;
  /** One line per step, for people watching. */
  readonly onProgress?: (line: string) => void;
}

/** The final stage as a directory, with what `docker run` would start. */
export interface ImageContents {
  /** The image's file system root. */
  readonly root: string;
  /** The WORKDIR of the final stage, inside `root`. */
  readonly workdir: string;
  /** ENTRYPOINT, paths inside the image. */
  readonly entrypoint: readonly string[];
  /** CMD: the default arguments, replaced by those `docker run <image> ...` gives. */
  readonly cmd: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Builds what the Dockerfile builds, without a Docker engine: each stage in a directory of its
 * own standing in for its file system, `COPY` from the context through `.dockerignore`, `COPY
 * --from` between stages, `RUN` in the stage's WORKDIR with the stage's ENV. The base images
 * are not there: `RUN` uses this machine's Node.js and npm, and the final stage holds only what
 * the Dockerfile copies into it.
 */
export async function buildImageContents(
  options: BuildImageContentsOptions,
): Promise<ImageContents> {
  const { context, outDir, onProgress = () => {} } = options;
  const dockerfile = options.dockerfile ?? join(context, 'Dockerfile');
  const stages = parseDockerfile(dockerfile, options.buildArgs);
  const ignored = dockerIgnore(context);
  const stageRoot = (name: string) =>
    join(outDir, name === stages.at(-1)?.name ? 'image' : `stage-${name}`);

  let final: ImageContents | undefined;
  for (const stage of stages) {
    const root = stageRoot(stage.name);
    mkdirSync(root, { recursive: true });
    let workdir = '/';
    const env: Record<string, string> = {};
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    const inStage = (path: string) => join(root, resolve(workdir, path));
    for (const instruction of stage.instructions) {
      const where = `${relative(context, dockerfile)}:${instruction.line}`;
      switch (instruction.op) {
        case 'WORKDIR':
          workdir = resolve(workdir, instruction.args);
          mkdirSync(join(root, workdir), { recursive: true });
          break;
        case 'ENV':
          Object.assign(env, envPairs(instruction.args));
          break;
        case 'COPY':
          copy(instruction, { context, ignored, target: inStage, stageRoot });
          break;
        case 'RUN':
          onProgress(`${where} RUN ${instruction.args}`);
          await run(instruction.args, join(root, workdir), env, where);
          break;
        case 'ENTRYPOINT':
          entrypoint = execForm(instruction.args);
          break;
        case 'CMD':
          cmd = execForm(instruction.args);
          break;
        default:
          // USER and HEALTHCHECK do not change the file system.
          break;
      }
    }
    final = { root, workdir: join(root, workdir), entrypoint, cmd, env };
  }
  if (!final) throw new Error(`${dockerfile}: no stage`);
  return final;
}

function copy(
  instruction: Instruction,
  paths: {
    context: string;
    ignored: (path: string) => boolean;
    target: (path: string) => string;
    stageRoot: (name: string) => string;
  },
): void {
  const words = instruction.args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const [dest, ...sources] = words.filter((word) => !word.startsWith('--')).reverse();
  if (!dest || sources.length === 0)
    throw new Error(`COPY needs a source and a destination: ${instruction.args}`);
  const target = paths.target(dest);
  const intoDirectory = dest.endsWith('/') || sources.length > 1;
  for (const source of sources.reverse()) {
    const origin = from ? join(paths.stageRoot(from), source) : join(paths.context, source);
    if (!existsSync(origin)) {
      throw new Error(`line ${instruction.line}: COPY ${source}: not found`);
    }
    // Docker copies a directory's contents into the destination, and a file into it when the
    // destination is a directory.
    const to =
      statSync(origin).isDirectory() || !intoDirectory ? target : join(target, basename(origin));
    cpSync(origin, to, {
      recursive: true,
      filter: (path) => from !== undefined || !paths.ignored(relative(paths.context, path)),
    });
  }
}

function run(
  script: string,
  cwd: string,
  env: Record<string, string>,
  where: string,
): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', script], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        ...networkSettings(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${where}: RUN exited with ${code}\n${output}`)),
    );
  });
}

/**
 * How this machine reaches the registry (proxies, a TLS-intercepting proxy's CA): a Docker build
 * gets them from its daemon. Without them `npm ci` fails as soon as a package is not cached.
 */
const networkSettings = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(HTTPS?|NO)_PROXY)$/i.test(entry[0]),
    ),
  );

/** `.dockerignore` as a predicate over context-relative paths (the subset of syntax used here). */
function dockerIgnore(context: string): (path: string) => boolean {
  const file = join(context, '.dockerignore');
  const patterns = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
    : [];
  const expressions = patterns.map((pattern) => {
    if (pattern.startsWith('!'))
      throw new Error(`.dockerignore: exceptions (${pattern}) are not rehearsed`);
    const body = pattern
      .replace(/[.+^$()|[\]{}]/g, '\\$&')
      .replace(/\*\*\//g, '\u0000')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replaceAll('\u0000', '(?:.*/)?');
    // A pattern matches the path itself and everything under it.
    return new RegExp(`^${body}(?:/.*)?$`);
  });
  return (path) => path !== '' && expressions.some((expression) => expression.test(path));
}
