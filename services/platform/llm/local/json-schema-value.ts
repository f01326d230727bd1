import type { JSONSchema7, JSONSchema7Definition, JSONValue } from '@ai-sdk/provider';
import { seedFor } from './seed.js';
import { stringValue } from './string-value.js';

/** Where values come from: the prompt's hash (every choice) and its words (every string). */
export interface ValueSource {
  readonly hash: string;
  readonly words: readonly string[];
}

/** A schema after `allOf` merging: several patterns may apply to one string. */
type Rules = JSONSchema7 & { patterns?: string[] };

/** The `$ref`s followed from the root to here, in order. */
type Trail = readonly string[];

const recursing = (trail: Trail): boolean => new Set(trail).size < trail.length;

/** Ranges up to this wide are sampled across; wider ones keep to small, readable numbers. */
const SPREAD = 1000;
/**
 * Once a `$ref` has been entered twice on the way down (recursion), or past this nesting,
 * optional parts are left out and arrays keep to their minimum, so recursion ends.
 */
const SHALLOW_DEPTH = 8;
/** Fresh draws for an item of a `uniqueItems` array that repeats an earlier one. */
const UNIQUE_RETRIES = 32;
/** Past this nesting a schema has no finite value (a required property that recurses forever). */
const MAX_DEPTH = 64;

const tighter = (pick: (...values: number[]) => number, a?: number, b?: number) =>
  a === undefined ? b : b === undefined ? a : pick(a, b);

function patternsOf(schema: Rules): string[] {
  return [...(schema.patterns ?? []), ...(schema.pattern ? [schema.pattern] : [])];
}

function mergeTypes(a: Rules['type'], b: Rules['type']): Rules['type'] {
  if (a === undefined || b === undefined) return a ?? b;
  const left = Array.isArray(a) ? a : [a];
  const both = (Array.isArray(b) ? b : [b]).filter((type) => left.includes(type));
  return both.length === 1 ? both[0] : both;
}

/** Both schemas at once, as `allOf` means: tighter bounds, all properties, all patterns. */
function merge(a: Rules, b: Rules): Rules {
  const merged: Rules = { ...a, ...b, type: mergeTypes(a.type, b.type) };
  if (merged.type === undefined) delete merged.type;
  if (a.properties || b.properties) {
    const properties: Record<string, JSONSchema7Definition> = { ...a.properties };
    for (const [key, schema] of Object.entries(b.properties ?? {})) {
      const earlier = Object.hasOwn(properties, key) ? properties[key] : undefined;
      properties[key] = earlier === undefined ? schema : { allOf: [earlier, schema] };
    }
    merged.properties = properties;
  }
  if (a.required || b.required)
    merged.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  const patterns = [...patternsOf(a), ...patternsOf(b)];
  delete merged.pattern;
  if (patterns.length > 0) merged.patterns = patterns;
  merged.minimum = tighter(Math.max, a.minimum, b.minimum);
  merged.maximum = tighter(Math.min, a.maximum, b.maximum);
  merged.minLength = tighter(Math.max, a.minLength, b.minLength);
  merged.maxLength = tighter(Math.min, a.maxLength, b.maxLength);
  merged.minItems = tighter(Math.max, a.minItems, b.minItems);
  merged.maxItems = tighter(Math.min, a.maxItems, b.maxItems);
  for (const key of Object.keys(merged) as (keyof Rules)[]) {
    if (merged[key] === undefined) delete merged[key];
  }
  return merged;
}

function decimals(step: number): number {
  const [mantissa = '', exponent] = String(step).split('e-');
  const fraction = (mantissa.split('.')[1] ?? '').length;
  return Math.min(100, fraction + (exponent ? Number(exponent) : 0));
}

/**
 * A number inside the bounds, on `multipleOf`'s grid when set (integers on a grid of 1): spread
 * over a narrow range by the seed, near a small preferred number (0 to 100) in a wide one.
 */
function numberValue(schema: Rules, integer: boolean, seed: number): number {
  let low = schema.minimum ?? Number.NEGATIVE_INFINITY;
  let high = schema.maximum ?? Number.POSITIVE_INFINITY;
  // Draft 6+ writes exclusive bounds as numbers; draft 4 as booleans beside minimum/maximum.
  const exclusiveLow = schema.exclusiveMinimum as number | boolean | undefined;
  const exclusiveHigh = schema.exclusiveMaximum as number | boolean | undefined;
  let lowOpen = exclusiveLow === true;
  let highOpen = exclusiveHigh === true;
  if (typeof exclusiveLow === 'number' && exclusiveLow >= low)
    [low, lowOpen] = [exclusiveLow, true];
  if (typeof exclusiveHigh === 'number' && exclusiveHigh <= high)
    [high, highOpen] = [exclusiveHigh, true];
  const preferred = integer ? seed % 100 : (seed % 1000) / 10;
  const step = schema.multipleOf ?? (integer ? 1 : undefined);
  if (step !== undefined && step > 0) {
    let first = Math.ceil(low / step);
    if (lowOpen && first * step <= low) first += 1;
    let last = Math.floor(high / step);
    if (highOpen && last * step >= high) last -= 1;
    const k =
      last >= first && last - first <= SPREAD
        ? first + (seed % (last - first + 1))
        : Math.max(Math.min(Math.round(preferred / step), last), first);
    return Number((k * step).toFixed(decimals(step)));
  }
  const above = (value: number) => (lowOpen ? value > low : value >= low);
  const below = (value: number) => (highOpen ? value < high : value <= high);
  if (high - low <= SPREAD) {
    // Strictly inside the range (one to 999 thousandths of it), so open bounds hold too.
    const exact = low + ((high - low) * ((seed % 999) + 1)) / 1000;
    const rounded = Number(exact.toFixed(3));
    return above(rounded) && below(rounded) ? rounded : exact;
  }
  if (above(preferred) && below(preferred)) return preferred;
  if (Number.isFinite(low)) return lowOpen ? low + 1 : low;
  return highOpen ? high - 1 : high;
}

const cleanWords = (words: readonly string[]): string[] =>
  words
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length > 0);

/** Walks a JSON Schema from its root, resolving `$ref`s against it. */
class ValueMaker {
  private readonly words: string[];

  constructor(
    private readonly root: JSONSchema7Definition,
    private readonly source: ValueSource,
  ) {
    this.words = cleanWords(source.words);
  }

  private seed(path: string): number {
    return seedFor(this.source.hash, path);
  }

  private resolve(ref: string, path: string): JSONSchema7Definition {
    if (ref === '#') return this.root;
    if (!ref.startsWith('#/')) throw new Error(`schema at ${path}: $ref "${ref}" is not local`);
    let target: unknown = this.root;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      target =
        typeof target === 'object' && target !== null && Object.hasOwn(target, key)
          ? (target as Record<string, unknown>)[key]
          : undefined;
    }
    if (target === undefined) throw new Error(`schema at ${path}: $ref "${ref}" points nowhere`);
    return target as JSONSchema7Definition;
  }

  /** The schema with its `$ref`, `allOf` and chosen `anyOf`/`oneOf` branch folded in. */
  private flatten(
    definition: JSONSchema7Definition,
    path: string,
    trail: Trail,
    shallow: boolean,
  ): { rules: Rules; trail: Trail } {
    if (typeof definition === 'boolean') {
      if (!definition) throw new Error(`schema at ${path} accepts no value (false)`);
      return { rules: {}, trail };
    }
    if (trail.length > MAX_DEPTH)
      throw new Error(
        `schema at ${path} follows more than ${MAX_DEPTH} $refs: it has no finite value`,
      );
    const { $ref, allOf, anyOf, oneOf, ...own } = definition as Rules;
    let rules: Rules = own;
    let hops = trail;
    if ($ref !== undefined) {
      const target = this.flatten(this.resolve($ref, path), path, [...trail, $ref], shallow);
      rules = merge(target.rules, rules);
      hops = target.trail;
    }
    for (const member of allOf ?? [])
      rules = merge(rules, this.flatten(member, path, hops, shallow).rules);
    const branches = anyOf ?? oneOf;
    if (branches && branches.length > 0) {
      // Deep in a recursion, a branch that ends it (null, else a scalar) comes first.
      const ending = (branch: JSONSchema7Definition) =>
        typeof branch === 'object' && branch.type === 'null';
      const scalar = (branch: JSONSchema7Definition) =>
        typeof branch === 'object' &&
        branch.$ref === undefined &&
        branch.type !== undefined &&
        !['object', 'array'].includes(branch.type as string);
      const chosen =
        (shallow && (branches.find(ending) ?? branches.find(scalar))) ||
        (branches[0] as JSONSchema7Definition);
      const branch = this.flatten(chosen, path, hops, shallow);
      rules = merge(rules, branch.rules);
      hops = branch.trail;
    }
    return { rules, trail: hops };
  }

  value(definition: JSONSchema7Definition, path: string, depth: number, trail: Trail): JSONValue {
    if (depth > MAX_DEPTH)
      throw new Error(
        `schema at ${path} nests deeper than ${MAX_DEPTH} levels: it has no finite value`,
      );
    const shallow = recursing(trail) || depth >= SHALLOW_DEPTH;
    const flat = this.flatten(definition, path, trail, shallow);
    const schema = flat.rules;
    const seed = this.seed(path);
    if (schema.const !== undefined) return schema.const as JSONValue;
    if (schema.enum && schema.enum.length > 0)
      return schema.enum[seed % schema.enum.length] as JSONValue;
    switch (this.typeOf(schema, shallow)) {
      case 'null':
        return null;
      case 'boolean':
        return seed % 2 === 0;
      case 'integer':
        return numberValue(schema, true, seed);
      case 'number':
        return numberValue(schema, false, seed);
      case 'array':
        return this.array(schema, path, depth, flat.trail, shallow);
      case 'object':
        return this.object(schema, path, depth, flat.trail, shallow);
      default:
        return stringValue(
          {
            minLength: schema.minLength,
            maxLength: schema.maxLength,
            format: schema.format,
            patterns: patternsOf(schema),
          },
          this.words,
          seed,
        );
    }
  }

  private typeOf(schema: Rules, shallow: boolean): string {
    const types: string[] =
      schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length > 0) {
      const concrete = types.filter((type: string) => type !== 'null');
      return shallow && types.includes('null') ? 'null' : (concrete[0] ?? 'null');
    }
    if (schema.properties || schema.required || schema.additionalProperties !== undefined)
      return 'object';
    if (schema.items !== undefined || schema.minItems !== undefined) return 'array';
    if (
      schema.minimum !== undefined ||
      schema.maximum !== undefined ||
      schema.multipleOf !== undefined
    )
      return 'number';
    return 'string';
  }

  private array(
    schema: Rules,
    path: string,
    depth: number,
    trail: Trail,
    shallow: boolean,
  ): JSONValue[] {
    const prefixItems = (schema as { prefixItems?: JSONSchema7Definition[] }).prefixItems;
    let prefix: JSONSchema7Definition[] = [];
    let rest: JSONSchema7Definition = true;
    if (Array.isArray(schema.items))
      [prefix, rest] = [schema.items, schema.additionalItems ?? true];
    else if (prefixItems) [prefix, rest] = [prefixItems, schema.items ?? true];
    else rest = schema.items ?? true;
    const min = schema.minItems ?? 0;
    const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
    const wanted = prefix.length > 0 ? prefix.length : shallow ? 0 : 2;
    const count = Math.min(Math.max(wanted, min), max);
    const items: JSONValue[] = [];
    const seen = new Set<string>();
    for (let index = 0; index < count; index += 1) {
      const itemSchema = prefix[index] ?? rest;
      let item = this.value(itemSchema, `${path}/${index}`, depth + 1, trail);
      for (
        let retry = 1;
        schema.uniqueItems && seen.has(JSON.stringify(item)) && retry <= UNIQUE_RETRIES;
        retry += 1
      ) {
        item = this.value(itemSchema, `${path}/${index}~${retry}`, depth + 1, trail);
      }
      seen.add(JSON.stringify(item));
      items.push(item);
    }
    return items;
  }

  private object(
    schema: Rules,
    path: string,
    depth: number,
    trail: Trail,
    shallow: boolean,
  ): Record<string, JSONValue> {
    const properties = schema.properties ?? {};
    const required = schema.required ?? [];
    const extra = schema.additionalProperties;
    let keys = shallow ? [...required] : [...new Set([...Object.keys(properties), ...required])];
    const optional = keys.filter((key) => !required.includes(key));
    const maxProperties = schema.maxProperties ?? Number.POSITIVE_INFINITY;
    while (keys.length > maxProperties && optional.length > 0) {
      const dropped = optional.pop();
      keys = keys.filter((key) => key !== dropped);
    }
    const wantsEntry = typeof extra === 'object' && keys.length === 0 && !shallow;
    const minimum = Math.max(schema.minProperties ?? 0, wantsEntry ? 1 : 0);
    for (let index = 0; keys.length < Math.min(minimum, maxProperties); index += 1) {
      const key = schema.propertyNames
        ? this.value(schema.propertyNames, `${path}#key${index}`, depth + 1, trail)
        : (
            this.words[this.seed(`${path}#key${index}`) % Math.max(1, this.words.length)] ?? 'key'
          ).toLowerCase();
      const name = typeof key === 'string' && !keys.includes(key) ? key : `${String(key)}${index}`;
      if (index > 64)
        throw new Error(`schema at ${path}: cannot find ${minimum} distinct property names`);
      if (!keys.includes(name)) keys.push(name);
    }
    // fromEntries defines own properties, so a name such as "__proto__" stays a plain key.
    return Object.fromEntries(
      keys.map((key) => {
        const declared = Object.hasOwn(properties, key) ? properties[key] : undefined;
        const propertySchema = declared ?? (typeof extra === 'object' ? extra : true);
        return [key, this.value(propertySchema, `${path}/${key}`, depth + 1, trail)];
      }),
    );
  }
}

/**
 * A value valid against `schema` (JSON Schema draft-07, the dialect the AI SDK sends for zod
 * schemas), derived from the prompt: the same schema and source give the same value. Covers
 * objects, arrays and tuples, strings (lengths, formats, patterns), numbers (bounds, exclusive
 * bounds, multipleOf), enums and consts, `anyOf`/`oneOf` (the first branch), `allOf`, nullable
 * types and local `$ref`s, recursive ones included. Throws, naming the path, for a schema no
 * value satisfies that way (`false`, a `$ref` outside the document, endless required recursion).
 */
export function valueForSchema(schema: JSONSchema7Definition, source: ValueSource): JSONValue {
  return new ValueMaker(schema, source).value(schema, '#', 0, []);
}
