import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudSqlSchema,
  clusterSchema,
  networkSchema,
  redisSchema,
} from '../../infra/config-schema.js';
import { llmSchema } from '../../infra/llm/index.js';
import { AWS_CHAIN_VARIABLES } from '../../infra/service-environments.js';
import { catalog, serviceNames } from '../../services/catalog.js';
import { llmEnv } from '../../services/platform/llm/env.js';
import { readPage, root } from './markdown.js';

// The environment contract lives in docs/services.md (the LLM layer's variables in docs/llm.md),
// the stack configuration keys in docs/infrastructure.md: each is documented where a reader of
// that area looks for it.
const services = readPage('docs/services.md');
const infrastructure = readPage('docs/infrastructure.md');
const llm = readPage('docs/llm.md');
const llmReference = llm.slice(llm.indexOf('\n## Configuration reference\n'));

describe('docs/services.md', () => {
  it.each(serviceNames)('documents every environment variable of %s', (name) => {
    const undocumented = Object.keys(catalog[name].env.shape)
      .filter((key) => !(key in llmEnv))
      .filter((key) => !services.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('docs/llm.md', () => {
  it("documents every variable of the LLM layer, and the AWS chain's, in its configuration reference", () => {
    const variables = [...Object.keys(llmEnv), ...AWS_CHAIN_VARIABLES];
    expect(llmReference.length).toBeGreaterThan(100);
    expect(variables.filter((key) => !llmReference.includes(`\`${key}\``))).toEqual([]);
  });

  it('names the stack key of every aia-platform:llm field there', () => {
    const fields = Object.keys(llmSchema.shape).filter((field) => field !== 'baseUrls');
    const keys = [
      ...fields.map((field) => `aia-platform:llm.${field}`),
      'aia-platform:llm.baseUrls.',
    ];
    expect(keys.filter((key) => !llmReference.includes(`\`${key}`))).toEqual([]);
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
      llm: llmSchema,
    };
    const undocumented = Object.entries(structured).flatMap(([key, schema]) =>
      Object.keys(schema.shape)
        .map((field) => `aia-platform:${key}.${field}`)
        .filter((name) => !infrastructure.includes(name)),
    );
    expect(undocumented).toEqual([]);
  });
});
