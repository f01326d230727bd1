import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { outputTail } from '../local-servers/output-tail.js';
import type { ImageContents } from './build-contents.js';

/** The image's Node.js, which this machine's stands in for. */
const IMAGE_NODE = '/nodejs/bin/node';

export interface ImageProcess {
  readonly child: ChildProcess;
  /** Exit code (null when killed by a signal), once it exits. */
  readonly exited: Promise<number | null>;
  /** The last lines it printed. */
  output(): string;
  /** Polls `url` until it answers 200; rejects with the output if the process exits first. */
  ready(url: string, timeoutMs: number): Promise<void>;
}

/**
 * Runs the image's ENTRYPOINT and CMD (with `args` replacing CMD, as `docker run <image> args`
 * does; with `entrypoint` replacing ENTRYPOINT, as a Kubernetes container's `command` does) in
 * its WORKDIR with the image's ENV plus `env`, and nothing else of this machine's environment
 * but PATH.
 */
export function imageProcess(
  image: ImageContents,
  args: readonly string[],
  env: Record<string, string>,
  { entrypoint = image.entrypoint }: { entrypoint?: readonly string[] } = {},
): ImageProcess {
  // As Kubernetes: a `command` given without `args` drops the image's CMD as well.
  const cmd = args.length > 0 || entrypoint !== image.entrypoint ? args : image.cmd;
  const [command = '', ...line] = [...entrypoint, ...cmd];
  const child = spawn(command === IMAGE_NODE ? process.execPath : command, line, {
    cwd: image.workdir,
    env: { PATH: process.env.PATH ?? '', ...image.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = outputTail(60);
  child.stdout.on('data', tail.collect);
  child.stderr.on('data', tail.collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    exited,
    output: tail.text,
    async ready(url, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`exited with ${child.exitCode ?? child.signalCode}:\n${tail.text()}`);
        }
        const status = await fetch(url).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        await sleep(100);
      }
      throw new Error(`${url} not ready within ${timeoutMs} ms:\n${tail.text()}`);
    },
  };
}
