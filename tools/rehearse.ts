import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { STACKS } from '../services/catalog.js';
import { buildImageContents } from './image/build-contents.js';
import { rehearse } from './rehearse/rehearsal.js';
import { renderStack } from './rehearse/render.js';

const USAGE = `usage: npm run rehearse -- --stack <${STACKS.join('|')}> [--stack ...]`;
const root = resolve(import.meta.dirname, '..');

/**
 * `npm run rehearse -- --stack production`: builds the image's contents as the Dockerfile does
 * (once for every stack named), then per stack runs each service's container with the
 * environment and files the plan renders, against PostgreSQL with SSL required and Redis with
 * TLS and AUTH, until every dependency is up. Exit 0 when every service that can run here is
 * ready (those that cannot, such as Cloud SQL connector clients, are listed with the reason), 1
 * naming each service that is not and why, 2 on bad arguments.
 */
async function main(): Promise<number> {
  let stacks: string[];
  try {
    stacks =
      parseArgs({ options: { stack: { type: 'string', multiple: true } } }).values.stack ?? [];
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const unknown = stacks.filter((stack) => !(STACKS as readonly string[]).includes(stack));
  if (stacks.length === 0 || unknown.length > 0) {
    console.error(
      `${unknown.length > 0 ? `unknown stack '${unknown[0]}'` : '--stack is required'}\n${USAGE}`,
    );
    return 2;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const started = performance.now();
  const seconds = () => `${Math.round((performance.now() - started) / 1000)} s`;
  const dir = await mkdtemp(join(tmpdir(), 'rehearsal-'));
  // PostgreSQL runs as the postgres OS user when this is root, and must get through.
  await chmod(dir, 0o711);
  try {
    // The plans first: they fail fast on a stack the program refuses, before a minute of build.
    say('▸ Rendering the plans…');
    const rendered = await Promise.all(stacks.map((stack) => renderStack(stack, dir)));
    say('▸ Building the image contents as the Dockerfile does…');
    const image = await buildImageContents({
      context: root,
      outDir: join(dir, 'image'),
      onProgress: (line) => say(`  ${line}`),
    });
    say(`  ✓ image and plans (${seconds()})`);
    let failed = 0;
    for (const [index, stack] of stacks.entries()) {
      say(`▸ Rehearsing stack ${stack}`);
      const result = await rehearse({
        image,
        objects: rendered[index] ?? [],
        dir: join(dir, stack),
        onProgress: (line) => say(`  ${line}`),
      });
      for (const failure of result.failures) say(`  ✗ ${failure.workload}: ${failure.reason}`);
      const skipped = result.notRehearsed.length;
      const unrehearsed = skipped > 0 ? `, ${skipped} not rehearsed (above)` : '';
      say(
        result.failures.length === 0
          ? `  ✓ ${stack}: ${result.ready.length} ready${unrehearsed} (${seconds()})`
          : `  ✗ ${stack}: ${result.failures.length} failed, ${result.ready.length} ready${unrehearsed} (${seconds()})`,
      );
      failed += result.failures.length;
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
