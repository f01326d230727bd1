import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudSqlSchema,
  clusterSchema,
  networkSchema,
  redisSchema,
} from '../infra/config-schema.js';
import { catalog, serviceNames } from '../services/catalog.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it.each(serviceNames)('documents every environment variable of %s', (name) => {
    const undocumented = Object.keys(catalog[name].env.shape).filter(
      (key) => !readme.includes(`\`${key}\``),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents every stack configuration key of Pulumi.yaml', () => {
    const project = readFileSync(join(import.meta.dirname, '..', 'Pulumi.yaml'), 'utf8');
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
      readme.includes(`\`${key}\``) || readme.includes(`\`${key}.`);
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
        .filter((name) => !readme.includes(name)),
    );
    expect(undocumented).toEqual([]);
  });
});
