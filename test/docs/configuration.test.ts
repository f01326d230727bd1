import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudSqlSchema,
  clusterSchema,
  networkSchema,
  redisSchema,
} from '../../infra/config-schema.js';
import { catalog, serviceNames } from '../../services/catalog.js';
import { readPage, root } from './markdown.js';

// The environment contract lives in docs/services.md, the stack configuration keys in
// docs/infrastructure.md: each is documented where a reader of that area looks for it.
const services = readPage('docs/services.md');
const infrastructure = readPage('docs/infrastructure.md');

describe('docs/services.md', () => {
  it.each(serviceNames)('documents every environment variable of %s', (name) => {
    const undocumented = Object.keys(catalog[name].env.shape).filter(
      (key) => !services.includes(`\`${key}\``),
    );
    expect(undocumented).toEqual([]);
  });
});

describe('docs/infrastructure.md', () => {
  it('documents every stack configuration key of Pulumi.yaml', () => {
    const project = readFileSync(join(root, 'Pulumi.yaml'), 'utf8');
    const typed = [...project.matchAll(/^ {2}([a-z-]+:[A-Za-z]+):$/gm)].map(
      (match) => match[1] ?? '',
    );
    const provider = [...project.matchAll(/^# {3}((?:gcp|aia-platform):[A-Za-z]+) /gm)].map(
      (match) => match[1] ?? '',
    );
    const keys = [...typed, ...provider];
    expect(provider).toEqual(
      expect.arrayContaining(['gcp:project', 'gcp:region', 'aia-platform:jwtSigningKey']),
    );
    expect(keys.length).toBeGreaterThan(0);
    // Structured keys are documented field by field: `aia-platform:network.subnetCidr`.
    const documented = (key: string) =>
      infrastructure.includes(`\`${key}\``) || infrastructure.includes(`\`${key}.`);
    expect(keys.filter((key) => !documented(key))).toEqual([]);
  });

  it('documents every field of the structured stack configuration keys', () => {
    const structured = {
      network: networkSchema,
      cluster: clusterSchema,
      cloudSql: cloudSqlSchema,
      redis: redisSchema,
    };
    const undocumented = Object.entries(structured).flatMap(([key, schema]) =>
      Object.keys(schema.shape)
        .map((field) => `aia-platform:${key}.${field}`)
        .filter((name) => !infrastructure.includes(name)),
    );
    expect(undocumented).toEqual([]);
  });
});
