import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const majorOf = (version: string | undefined) => Number(/(\d+)/.exec(version ?? '')?.[1]);

describe('one Node.js line everywhere', () => {
  const packageJson = JSON.parse(read('package.json'));
  const image = majorOf(/^ARG NODE_IMAGE=node:(\S+)/m.exec(read('Dockerfile'))?.[1]);

  it('the build image, the runtime image, setup, CI, the engines and the types agree', () => {
    expect(image).toBeGreaterThanOrEqual(24);
    const runtime = /^ARG RUNTIME_IMAGE=gcr\.io\/distroless\/nodejs(\d+)-/m.exec(
      read('Dockerfile'),
    );
    expect(majorOf(runtime?.[1])).toBe(image);
    expect(majorOf(/^NODE_MAJOR=(\d+)/m.exec(read('tools/setup.sh'))?.[1])).toBe(image);
    expect(majorOf(/^NODE_PACKAGE_VERSION=(\S+)/m.exec(read('tools/setup.sh'))?.[1])).toBe(image);
    expect(majorOf(packageJson.engines.node)).toBe(image);
    expect(majorOf(packageJson.devDependencies['@types/node'])).toBe(image);
    for (const match of read('.github/workflows/pull-request.yml').matchAll(/node-version: (\S+)/g))
      expect(majorOf(match[1])).toBe(image);
  });

  it('the tests run on the image major', () => {
    expect(majorOf(process.versions.node)).toBe(image);
  });
});
