import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceDefinition } from '../../catalog.js';
import { ConfigError } from '../config.js';
import { httpEnv } from '../env.js';
import { llmEnv } from './env.js';
import { llmOf } from './service-llm.js';

const logger = pino({ level: 'silent' });
const parse = (env: Record<string, string>) =>
  z.object({ ENVIRONMENT: httpEnv.ENVIRONMENT, ...llmEnv }).parse(env);
const orchestrator = serviceDefinition('agent-orchestrator');

describe('llmOf', () => {
  it('is there only for services whose env takes the LLM variables', () => {
    expect(
      llmOf(serviceDefinition('economic-governor'), {}, logger, new Registry()),
    ).toBeUndefined();
    expect(llmOf(orchestrator, parse({}), logger, new Registry())).toBeDefined();
  });

  it('refuses a staging start whose classes have no provider, as a configuration error naming them', () => {
    const start = () =>
      llmOf(orchestrator, parse({ ENVIRONMENT: 'staging' }), logger, new Registry());
    expect(start).toThrow(ConfigError);
    const error = (() => {
      try {
        start();
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.issues.map((issue) => issue.field)).toEqual(['LLM_CLASSES', 'LLM_CLASSES']);
    expect(error?.message).toMatch(/class "fast" has no enabled provider: set OPENAI_API_KEY/);
    expect(error?.message).toMatch(/class "strong" has no enabled provider/);
  });

  it('starts venture discovery on staging without a provider while its assistance is off, not once it is on', () => {
    const discovery = serviceDefinition('venture-discovery');
    const staging = parse({ ENVIRONMENT: 'staging' });
    const off = llmOf(
      discovery,
      { ...staging, DISCOVERY_LLM_ASSIST: false },
      logger,
      new Registry(),
    );
    // Started, with no route for the class: an assistance call would fail and fall back.
    expect(off?.info().classes.fast).toEqual([]);
    expect(() =>
      llmOf(discovery, { ...staging, DISCOVERY_LLM_ASSIST: true }, logger, new Registry()),
    ).toThrow(/class "fast" has no enabled provider/);
  });

  it('starts on production with one provider key, routing every class it serves to it', () => {
    const llm = llmOf(
      orchestrator,
      parse({ ENVIRONMENT: 'production', ANTHROPIC_API_KEY: 'sk-ant-test-key' }),
      logger,
      new Registry(),
    );
    expect(llm?.info()).toEqual({
      providers: ['anthropic'],
      local: false,
      classes: expect.objectContaining({
        fast: ['anthropic:claude-haiku-4-5'],
        strong: ['anthropic:claude-sonnet-4-5'],
        // Anthropic has no embeddings; the orchestrator does not call that class.
        embedding: [],
      }),
    });
    expect(JSON.stringify(llm?.info())).not.toContain('sk-ant-test-key');
  });
});
