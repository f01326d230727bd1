import { describe, expect, it } from 'vitest';
import type { RecordedResource } from './recorder.js';
import { displayType, renderTree } from './render-tree.js';

const resource = (
  type: string,
  name: string,
  parent?: string,
  custom = true,
): RecordedResource => ({
  urn: `urn:${type}::${name}`,
  type,
  name,
  parent: parent ? `urn:${parent}` : undefined,
  custom,
  inputs: {},
});

describe('plan tree', () => {
  it('prints types as pulumi preview does', () => {
    expect(displayType('gcp:compute/network:Network')).toBe('gcp:compute:Network');
    expect(displayType('aia:platform:Network')).toBe('aia:platform:Network');
  });

  it('nests resources under their component, counts what each holds, and sums up', () => {
    const text = renderTree('demo', 'staging', [
      resource('aia:platform:Network', 'net', undefined, false),
      resource('gcp:compute/network:Network', 'net-vpc', 'aia:platform:Network::net'),
      resource('gcp:compute/subnetwork:Subnetwork', 'net-subnet', 'aia:platform:Network::net'),
      resource('random:index/randomPassword:RandomPassword', 'pw'),
    ]);
    const lines = text.split('\n');
    expect(lines.find((line) => line.includes('aia:platform:Network'))).toMatch(
      /net\s+2 resources$/,
    );
    expect(lines.find((line) => line.includes('net-vpc'))).toContain('│  ├─ gcp:compute:Network');
    expect(lines.find((line) => line.includes('net-subnet'))).toContain(
      '│  └─ gcp:compute:Subnetwork',
    );
    expect(lines.find((line) => line.includes('pw'))).toContain('└─ random:index:RandomPassword');
    expect(text).toContain('+ 3 to create (1 components)');
  });
});
