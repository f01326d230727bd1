/**
 * Words of PromQL that are not metric names when they stand alone. Functions and aggregations
 * need no entry: they are followed by `(`, which a selector never is.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'offset',
  'inf',
  'nan',
]);

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const NAME_MATCHER = /__name__\s*=\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g;
const TOKEN = /[A-Za-z_:][\w:]*|\d[\w.]*|\S/g;

/**
 * The metric names an expression selects, sorted. A small lexer, enough for the expressions
 * these dashboards write and the usual hand-written ones: strings, label matchers, ranges,
 * label lists of `by`/`on`/..., numbers, durations, Grafana variables and comments are skipped;
 * `{__name__="x"}` counts as `x`.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const [, quoted] of expr.matchAll(NAME_MATCHER)) names.add((quoted ?? '').slice(1, -1));
  const stripped = expr
    .replace(STRING, ' ')
    .replace(/#[^\n]*/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+|\[\[[^\]]*\]\]/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  for (const match of stripped.matchAll(TOKEN)) {
    const token = match[0];
    if (!/^[A-Za-z_:]/.test(token) || KEYWORDS.has(token.toLowerCase())) continue;
    const after = stripped.slice((match.index ?? 0) + token.length);
    if (/^\s*\(/.test(after)) continue;
    names.add(token);
  }
  return [...names].sort();
}
