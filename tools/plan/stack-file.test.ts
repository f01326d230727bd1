import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MARKER } from './placeholders.js';
import { readStackConfig, StackFileError } from './stack-file.js';

describe('reading a stack file as the Pulumi CLI hands it to a program', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stack-file-'));
    await writeFile(
      join(root, 'Pulumi.yaml'),
      'name: demo\nruntime: nodejs\nconfig:\n  demo:size:\n    type: integer\n    default: 3\n',
    );
    await writeFile(
      join(root, 'Pulumi.dev.yaml'),
      [
        'config:',
        '  gcp:project: demo-project',
        '  demo:zones: [a, b]',
        '  demo:limits: { cpu: 2 }',
        '  demo:apiKey:',
        '    secure: AAABAKxyz==',
      ].join('\n'),
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('passes strings as they are and objects and arrays as JSON, with project defaults', () => {
    const { config } = readStackConfig(root, 'dev');
    expect(config).toMatchObject({
      'gcp:project': 'demo-project',
      'demo:zones': '["a","b"]',
      'demo:limits': '{"cpu":2}',
      'demo:size': '3',
    });
  });

  it('replaces secure values with placeholders and reports their keys as secret', () => {
    const { config, secretKeys } = readStackConfig(root, 'dev');
    expect(secretKeys).toEqual(['demo:apiKey']);
    expect(config['demo:apiKey']).toContain(SECRET_MARKER);
    expect(config['demo:apiKey']).not.toContain('AAABAKxyz');
  });

  it('names the missing stack file', () => {
    expect(() => readStackConfig(root, 'prod')).toThrow(/no stack file .*Pulumi\.prod\.yaml/);
  });

  it('reports a YAML syntax error as a stack file error with its line, not a parser crash', async () => {
    const file = join(root, 'Pulumi.broken.yaml');
    await writeFile(file, 'config:\n  demo:a: 1\n demo:b: [2\n');
    const error = (() => {
      try {
        readStackConfig(root, 'broken');
      } catch (thrown) {
        return thrown as Error;
      }
    })();
    expect(error).toBeInstanceOf(StackFileError);
    expect(error?.message).toMatch(
      new RegExp(`^${file.replaceAll('.', '\\.')} is not valid YAML: .* at line 3, column \\d+:`),
    );
    expect(error?.message).toContain('Correct the file at that line');
  });

  it('refuses keys without a namespace, as the Pulumi CLI does', async () => {
    const file = join(root, 'Pulumi.flat.yaml');
    await writeFile(file, 'config:\n  imageTag: 0.1.0\n  demo:size: 3\n');
    expect(() => readStackConfig(root, 'flat')).toThrow(
      `${file}: "imageTag" is not a configuration key: keys are <namespace>:<name>, such as aia-platform:imageTag (pulumi config set adds the namespace)`,
    );
  });
});
