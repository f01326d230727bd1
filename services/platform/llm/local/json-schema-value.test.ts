import type { JSONSchema7 } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { valueForSchema } from './json-schema-value.js';

const source = { hash: 'a1b2c3', words: ['Reconcile', 'the', 'ledger', 'tonight.'] };

/** Validated by zod's own reading of the JSON Schema, not by the generator's. */
function expectValid(schema: JSONSchema7, value: unknown) {
  const result = z
    .fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])
    .safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
}

describe('values for JSON Schemas', () => {
  it('follows local $refs, recursive ones included, and ends the recursion', () => {
    const schema: JSONSchema7 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { tree: { $ref: '#/definitions/node' } },
      required: ['tree'],
      definitions: {
        node: {
          type: 'object',
          properties: {
            label: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/definitions/node' } },
            parent: { anyOf: [{ $ref: '#/definitions/node' }, { type: 'null' }] },
          },
          required: ['label', 'children', 'parent'],
        },
      },
    };
    const value = valueForSchema(schema, source);
    expectValid(schema, value);
    expect(JSON.stringify(value).length).toBeLessThan(20_000);
  });

  it('ends a recursion through a union at the branch without a $ref', () => {
    const schema: JSONSchema7 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: {
        expr: {
          anyOf: [
            {
              type: 'object',
              properties: { op: { const: '+' }, left: { $ref: '#/definitions/expr' } },
              required: ['op', 'left'],
            },
            { type: 'integer', minimum: 0 },
          ],
        },
      },
      type: 'object',
      properties: { expr: { $ref: '#/definitions/expr' } },
      required: ['expr'],
    };
    const value = valueForSchema(schema, source);
    expectValid(schema, value);
    expect(value).toMatchObject({ expr: { op: '+', left: { op: '+' } } });
  });

  it('merges allOf members: every property and every pattern applies', () => {
    const schema: JSONSchema7 = {
      allOf: [
        {
          type: 'object',
          properties: { id: { type: 'string', pattern: '^inv_' } },
          required: ['id'],
        },
        {
          type: 'object',
          properties: {
            id: { type: 'string', pattern: '_\\d+$' },
            total: { type: 'integer', minimum: 10, maximum: 12 },
          },
          required: ['total'],
        },
      ],
    };
    const value = valueForSchema(schema, source) as { id: string; total: number };
    expect(value.id).toMatch(/^inv_.*_\d+$/);
    expect([10, 11, 12]).toContain(value.total);
  });

  it('keeps numbers inside exclusive bounds, old (boolean) and new (number) style, on the grid', () => {
    const oldStyle = {
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 0.5,
      exclusiveMaximum: true,
    } as unknown as JSONSchema7;
    const value = valueForSchema(oldStyle, source) as number;
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(0.5);
    const grid: JSONSchema7 = {
      type: 'number',
      exclusiveMinimum: 1,
      exclusiveMaximum: 2,
      multipleOf: 0.25,
    };
    expect([1.25, 1.5, 1.75]).toContain(valueForSchema(grid, source));
    const wide: JSONSchema7 = {
      type: 'integer',
      minimum: -9007199254740991,
      maximum: 9007199254740991,
    };
    expect(Math.abs(valueForSchema(wide, source) as number)).toBeLessThan(100);
  });

  it('fills tuples, unique arrays and records within their counts', () => {
    const schema: JSONSchema7 = {
      type: 'object',
      properties: {
        tuple: {
          type: 'array',
          items: [{ type: 'string' }, { type: 'boolean' }],
          additionalItems: false,
          minItems: 2,
          maxItems: 2,
        },
        unique: { type: 'array', items: { enum: ['x', 'y', 'z'] }, minItems: 3, uniqueItems: true },
        record: { type: 'object', additionalProperties: { type: 'integer' }, minProperties: 2 },
      },
      required: ['tuple', 'unique', 'record'],
    };
    const value = valueForSchema(schema, source) as { unique: string[]; record: object };
    expectValid(schema, value);
    expect(new Set(value.unique).size).toBe(3);
    expect(Object.keys(value.record).length).toBeGreaterThanOrEqual(2);
  });

  it('infers a type when the schema leaves it out, and takes consts and enums as given', () => {
    expect(valueForSchema({ properties: { a: { const: 7 } }, required: ['a'] }, source)).toEqual({
      a: 7,
    });
    expect(['red', 'green']).toContain(valueForSchema({ enum: ['red', 'green'] }, source));
    expect(typeof valueForSchema({}, source)).toBe('string');
    expect(typeof valueForSchema(true, source)).toBe('string');
  });

  it('takes record keys named like Object.prototype members as plain keys', () => {
    const schema = z.toJSONSchema(
      z.object({
        counts: z.record(z.string(), z.number()),
        named: z.record(z.string().min(1), z.number()),
      }),
      { target: 'draft-07' },
    ) as JSONSchema7;
    for (const word of ['valueOf', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const hash of ['a1', 'b2', 'c3', 'd4']) {
        const value = valueForSchema(schema, { hash, words: [word, word, word] }) as {
          counts: object;
          named: object;
        };
        expectValid(schema, value);
        expect(Object.getPrototypeOf(value.counts)).toBe(Object.prototype);
        for (const entry of Object.values(value.named)) expect(typeof entry).toBe('number');
      }
    }
  });

  it('is a function of the schema and the prompt hash alone', () => {
    const schema: JSONSchema7 = { type: 'array', items: { type: 'number' }, minItems: 5 };
    expect(valueForSchema(schema, source)).toEqual(valueForSchema(schema, { ...source }));
    expect(valueForSchema(schema, source)).not.toEqual(
      valueForSchema(schema, { ...source, hash: 'ffff' }),
    );
  });

  it('names the path when no value can satisfy the schema', () => {
    expect(() =>
      valueForSchema({ type: 'object', properties: { a: false }, required: ['a'] }, source),
    ).toThrow('schema at #/a accepts no value');
    expect(() => valueForSchema({ $ref: 'https://example.com/schema.json' }, source)).toThrow(
      'is not local',
    );
    expect(() => valueForSchema({ $ref: '#/definitions/missing' }, source)).toThrow(
      'points nowhere',
    );
    const endless: JSONSchema7 = {
      definitions: {
        loop: {
          type: 'object',
          properties: { next: { $ref: '#/definitions/loop' } },
          required: ['next'],
        },
      },
      $ref: '#/definitions/loop',
    };
    expect(() => valueForSchema(endless, source)).toThrow('no finite value');
  });
});
