import { describe, expect, it } from 'vitest';
import { GraderSchema } from './benchmark-set.js';
import { grade } from './graders.js';

const grader = (input: unknown) => GraderSchema.parse(input);

describe('grade', () => {
  it('exact: the whole answer, trimmed, case-insensitive unless asked', () => {
    expect(grade(grader({ kind: 'exact', expected: '42' }), ' 42\n')).toEqual({
      success: true,
      quality: 1,
    });
    expect(grade(grader({ kind: 'exact', expected: '42' }), 'It is 42')).toEqual({
      success: false,
      quality: 0,
    });
    expect(grade(grader({ kind: 'exact', expected: 'Paris' }), 'paris').success).toBe(true);
    expect(
      grade(grader({ kind: 'exact', expected: 'Paris', case_sensitive: true }), 'paris').success,
    ).toBe(false);
  });

  it('contains: quality is the share of phrases present, success only with all', () => {
    const g = grader({ kind: 'contains', all: ['Ada Lovelace', 'ada@example.org'] });
    expect(grade(g, 'Write to ADA LOVELACE.')).toEqual({ success: false, quality: 0.5 });
    expect(grade(g, 'Ada Lovelace, ada@example.org')).toEqual({ success: true, quality: 1 });
  });

  it('json_schema: JSON the schema accepts, a code fence allowed', () => {
    const g = grader({
      kind: 'json_schema',
      schema: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' } },
        additionalProperties: false,
      },
    });
    expect(grade(g, '{"name":"Ada"}').success).toBe(true);
    expect(grade(g, '```json\n{"name":"Ada"}\n```').success).toBe(true);
    expect(grade(g, '{"name":"Ada","extra":1}').success).toBe(false);
    expect(grade(g, 'name: Ada').success).toBe(false);
  });
});
