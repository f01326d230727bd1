import type { RuleGroup } from './types.js';

/** Words that are never metric names: operators, modifiers, aggregations. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'atan2',
  'inf',
  'nan',
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** Modifiers followed by a list of label names, which are not metrics either. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const NAME_START = /[A-Za-z_:]/;
const NAME_PART = /[\w:]/;
const SPACE = /\s/;

/**
 * The metric names a PromQL expression selects, sorted. A tokenizer, not a parser: strings,
 * comments, label matchers (except `__name__="x"`, which names `x`), ranges and subqueries,
 * numbers and durations, keywords and aggregations, the label lists after `by`, `without`, `on`,
 * `ignoring`, `group_left`, `group_right`, and functions (a name followed by `(`) are skipped.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  const at = (offset = 0) => expr[i + offset] ?? '';

  const skipString = () => {
    const quote = at();
    i += 1;
    while (i < expr.length && at() !== quote) i += quote !== '`' && at() === '\\' ? 2 : 1;
    i += 1;
  };
  const skipSpace = () => {
    while (i < expr.length) {
      if (SPACE.test(at())) i += 1;
      else if (at() === '#') while (i < expr.length && at() !== '\n') i += 1;
      else break;
    }
  };
  /** Past the bracket that closes the one at `i`, skipping strings; returns what was inside. */
  const skipGroup = (open: string, close: string) => {
    const start = i + 1;
    let depth = 0;
    while (i < expr.length) {
      if (at() === '"' || at() === "'" || at() === '`') {
        skipString();
        continue;
      }
      if (at() === open) depth += 1;
      if (at() === close) depth -= 1;
      i += 1;
      if (depth === 0) break;
    }
    return expr.slice(start, i - 1);
  };

  while (i < expr.length) {
    const c = at();
    if (SPACE.test(c) || c === '#') skipSpace();
    else if (c === '"' || c === "'" || c === '`') skipString();
    else if (c === '{') {
      const matchers = skipGroup('{', '}');
      for (const [, name] of matchers.matchAll(/__name__\s*=\s*["'`]([^"'`]*)["'`]/g)) {
        names.add(name as string);
      }
    } else if (c === '[') skipGroup('[', ']');
    else if (/\d/.test(c) || (c === '.' && /\d/.test(at(1)))) {
      // Numbers, durations (1h30m), hex and exponents (1e-3).
      while (/[\w.]/.test(at()) || (/[+-]/.test(at()) && /[eE]/.test(at(-1)) && /\d/.test(at(1)))) {
        i += 1;
      }
    } else if (NAME_START.test(c)) {
      const start = i;
      while (NAME_PART.test(at())) i += 1;
      const word = expr.slice(start, i);
      skipSpace();
      const lower = word.toLowerCase();
      if (LABEL_LISTS.has(lower)) {
        if (at() === '(') skipGroup('(', ')');
      } else if (at() !== '(' && !KEYWORDS.has(lower)) {
        names.add(word);
      }
    } else i += 1;
  }
  return [...names].sort();
}

/** The metric names of every expression of a group. */
export const groupMetricNames = (group: RuleGroup): string[] =>
  [...new Set(group.rules.flatMap((rule) => metricNames(rule.expr)))].sort();

/** `group: metric` for each metric a group reads that `known(group)` does not list. */
export function unknownMetrics(
  groups: readonly RuleGroup[],
  known: (group: RuleGroup) => ReadonlySet<string>,
): string[] {
  return groups.flatMap((group) => {
    const allowed = known(group);
    return groupMetricNames(group)
      .filter((name) => !allowed.has(name))
      .map((name) => `${group.name}: ${name}`);
  });
}
