import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { secretPlaceholder } from './placeholders.js';
import type { RecordedResource } from './recorder.js';
import { writeKubernetesObjects } from './write-kubernetes.js';

const recorded = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  custom = true,
): RecordedResource => ({
  urn: `urn:pulumi:s::p::${type}::${name}`,
  type,
  name,
  parent: undefined,
  custom,
  inputs,
});

let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('writing rendered Kubernetes objects', () => {
  it('writes each object under its namespace with secrets redacted, and skips providers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8s-out-'));
    const files = await writeKubernetesObjects(dir, [
      recorded('pulumi:providers:kubernetes', 'k8s', { kubeconfig: 'x' }),
      recorded('kubernetes:core/v1:Namespace', 'apps', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'apps' },
      }),
      recorded('kubernetes:core/v1:Secret', 'db', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'apps' },
        stringData: { DATABASE_URL: `postgres://u:${secretPlaceholder('pw')}@h/db` },
      }),
    ]);
    expect(files.map((file) => file.slice(dir?.length))).toEqual([
      '/kubernetes/_cluster/namespace-apps.yaml',
      '/kubernetes/apps/secret-db.yaml',
    ]);
    const secret = parse(await readFile(files[1] as string, 'utf8'));
    expect(secret.stringData.DATABASE_URL).toBe('[secret]');
  });
});
