/** One malformed request of the corpus: what it stands for, and how it is sent. */
export interface MalformedCase {
  readonly name: string;
  readonly path: string;
  readonly init: RequestInit;
}

/** An operation of the merged API document, as much of it as the corpus needs. */
export interface CorpusOperation {
  readonly method: string;
  /** The path template, `{name}` for each path parameter. */
  readonly path: string;
  readonly queryNames: readonly string[];
  /** The top-level properties of its JSON body, when it takes one. */
  readonly bodyProperties?: readonly string[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const HUGE_STRING = 'a'.repeat(200_000);
/** JSON nested deeper than any parser's recursion should be trusted with. */
const DEEP_JSON = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
/** Strings that trip careless code: a lone surrogate, NUL, bidi override, combining marks, emoji. */
const ODD_STRINGS = ['\\ud800', '\\u0000', 'e\\u0301\\u202egnp.exe', '𝕏🏳️‍🌈', '%00%2e%2e%2f'];
const PATH_VALUES = {
  'odd unicode in the path': encodeURIComponent('\u202e𝕏\u0000'),
  'a very long path segment': 'x'.repeat(8_000),
  'a traversal in the path': '..%2f..%2fetc%2fpasswd',
};

const json = (body: string, contentType = 'application/json'): RequestInit => ({
  body,
  headers: { 'Content-Type': contentType },
});

/**
 * The malformed-input corpus for one operation: bad JSON, wrong types, huge values, odd unicode,
 * deep nesting, an oversized body, a wrong media type, odd path and query values. Headers and
 * the bearer token are added by the caller.
 */
export function malformedCases(
  operation: CorpusOperation,
  bodyLimitBytes: number,
): MalformedCase[] {
  const plain = operation.path.replaceAll(/\{[^}]+\}/g, 'x');
  const cases: MalformedCase[] = [];
  if (operation.path.includes('{')) {
    for (const [name, value] of Object.entries(PATH_VALUES))
      cases.push({ name, path: operation.path.replaceAll(/\{[^}]+\}/g, value), init: {} });
  }
  for (const query of operation.queryNames) {
    for (const [name, value] of Object.entries({
      huge: 'q'.repeat(6_000),
      'not a number': '1e309',
      negative: '-1',
      'odd unicode': '\u202e\u0000𝕏',
      repeated: 'a',
    })) {
      const search =
        name === 'repeated' ? `${query}=a&${query}=b` : `${query}=${encodeURIComponent(value)}`;
      cases.push({ name: `query ${query}: ${name}`, path: `${plain}?${search}`, init: {} });
    }
  }
  if (!BODY_METHODS.has(operation.method)) return cases;
  const properties = operation.bodyProperties?.length ? operation.bodyProperties : ['x'];
  const objectOf = (value: string) =>
    `{${properties.map((property) => `${JSON.stringify(property)}:${value}`).join(',')}}`;
  const bodies: Record<string, RequestInit> = {
    'invalid JSON': json('{"unterminated": '),
    'JSON null': json('null'),
    'JSON array': json('[]'),
    'JSON string': json('"text"'),
    'JSON number': json('42'),
    'every field a number': json(objectOf('12345')),
    'every field an object': json(objectOf('{"$gt":""}')),
    'every field an array': json(objectOf('[1,2,3]')),
    'every field huge': json(objectOf(JSON.stringify(HUGE_STRING))),
    'every field 1e308': json(objectOf('1e308')),
    'every field -2^63': json(objectOf('-9223372036854775808')),
    'deeply nested JSON': json(DEEP_JSON),
    'duplicate keys': json(`{"${properties[0]}":1,"${properties[0]}":"x"}`),
    'a __proto__ key': json('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'),
    'oversized body': json(`"${'b'.repeat(bodyLimitBytes + 1024)}"`),
    'wrong media type': json('{}', 'text/plain'),
    'form media type': json('a=1&b=2', 'application/x-www-form-urlencoded'),
    'no media type': { body: '{}' },
  };
  for (const [index, odd] of ODD_STRINGS.entries())
    bodies[`odd unicode ${index + 1}`] = json(objectOf(`"${odd}"`));
  for (const [name, init] of Object.entries(bodies)) cases.push({ name, path: plain, init });
  return cases;
}
