import { describe, expect, it } from 'vitest';
import { agentIdFor } from './register-agent.js';

describe('agentIdFor', () => {
  it('names the same agent for the same caller and key, and a UUID version 8', () => {
    const id = agentIdFor('ada', 'key-1');
    expect(agentIdFor('ada', 'key-1')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('tells apart callers and keys that join into the same text', () => {
    expect(agentIdFor('a/b', 'c')).not.toBe(agentIdFor('a', 'b/c'));
  });
});
