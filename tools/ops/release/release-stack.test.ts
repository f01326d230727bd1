import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stack, UpOptions } from '@pulumi/pulumi/automation/index.js';
import { describe, expect, it } from 'vitest';
import { STACKS } from '../../../services/catalog.js';
import { automationReleaseStack } from './release-stack.js';

/** The Automation API stack's calls an update makes, recorded instead of run. */
function recordingStack() {
  const calls: { config: string[]; ups: UpOptions[] } = { config: [], ups: [] };
  const stack = {
    setConfig: async (key: string) => {
      calls.config.push(key);
    },
    removeConfig: async (key: string) => {
      calls.config.push(`-${key}`);
    },
    up: async (options: UpOptions) => {
      calls.ups.push(options);
      return {};
    },
  } as unknown as Stack;
  return { stack, calls };
}

describe('a release update through the Automation API', () => {
  it.each(STACKS)('runs %s under the policy pack with its engine configuration', async (name) => {
    const { stack, calls } = recordingStack();
    await automationReleaseStack(name, stack).update(
      [{ path: 'imageTag', value: `sha256:${'a'.repeat(64)}` }],
      'deploy sha256:aaaa',
    );
    expect(calls.config).toEqual(['aia-platform:imageTag']);
    expect(calls.ups).toHaveLength(1);
    const [up] = calls.ups;
    expect(up?.message).toBe('deploy sha256:aaaa');
    const root = join(import.meta.dirname, '../../..');
    expect(up?.policyPacks).toEqual([join(root, 'policies')]);
    expect(up?.policyPackConfigs).toEqual([join(root, 'policies/config', `${name}.preview.json`)]);
    // The pack and the configuration the pull request's preview runs with.
    await access(join(root, 'policies/PulumiPolicy.yaml'));
    const config = JSON.parse(await readFile(up?.policyPackConfigs?.[0] ?? '', 'utf8'));
    expect(Object.values(config)).toContain('mandatory');
  });
});
