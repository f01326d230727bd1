import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildImageContents } from './build-contents.js';

/**
 * `npm run image:build [-- <dir>]`: the image's file system as the Dockerfile builds it, without a
 * Docker engine (default `.data/image`), then what a container would run.
 */
const root = resolve(import.meta.dirname, '../..');
const outDir = resolve(process.argv[2] ?? join(root, '.data/image'));
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const image = await buildImageContents({
  context: root,
  outDir,
  onProgress: (line) => process.stdout.write(`▸ ${line}\n`),
});
process.stdout.write(
  `✓ ${image.root}\n  run: (cd ${image.workdir} && ${image.entrypoint.join(' ')} <service>)\n`,
);
