import { describe, expect, it } from 'vitest';
import { startLlmStandIn, withLlmStandIn } from './llm-stand-in.js';

describe('the LLM stand-in', () => {
  it('points a model-calling service with no provider at the stand-in, and leaves the rest alone', () => {
    const url = 'http://127.0.0.1:9/v1';
    expect(withLlmStandIn('agent-orchestrator', { ENVIRONMENT: 'production' }, url)).toEqual({
      ENVIRONMENT: 'production',
      OPENAI_COMPATIBLE_BASE_URL: url,
    });
    const keyed = { ENVIRONMENT: 'production', ANTHROPIC_API_KEY: 'sk-ant' };
    expect(withLlmStandIn('agent-orchestrator', keyed, url)).toEqual(keyed);
    expect(withLlmStandIn('economic-governor', { ENVIRONMENT: 'production' }, url)).toEqual({
      ENVIRONMENT: 'production',
    });
  });

  it('answers chat completions and embeddings as an OpenAI-compatible server', async () => {
    const standIn = await startLlmStandIn();
    try {
      const chat = await fetch(`${standIn.baseUrl}/chat/completions`, {
        method: 'POST',
        body: '{}',
      });
      expect(((await chat.json()) as { choices: unknown[] }).choices).toHaveLength(1);
      const embeddings = await fetch(`${standIn.baseUrl}/embeddings`, {
        method: 'POST',
        body: '{}',
      });
      expect(((await embeddings.json()) as { data: unknown[] }).data).toHaveLength(1);
    } finally {
      await standIn.stop();
    }
  });
});
