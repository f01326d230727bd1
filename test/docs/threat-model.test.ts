import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allPolicies } from '../../policies/rules/index.js';
import { readPage, root } from './markdown.js';

const PAGE = 'docs/threat-model.md';
/** The column of a threats table that names what implements each mitigation. */
const CITATIONS = 'Implemented by';

/** A link whose text is one code span: [`infra/components/kms`](../infra/components/kms). */
interface Citation {
  readonly text: string;
  /** The target, repository-relative. */
  readonly path: string;
}

const citationsIn = (cell: string): Citation[] =>
  [...cell.matchAll(/\[`([^`]+)`\]\(([^)\s#]+)\)/g)].map(([, text = '', target = '']) => ({
    text,
    path: relative(root, join(root, 'docs', target)),
  }));

/** Each row of every table that has an "Implemented by" column: its first cell and that cell. */
function citationRows(markdown: string): { threat: string; cell: string }[] {
  const rows: { threat: string; cell: string }[] = [];
  let column = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const cells = line
      .slice(1, line.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((cell) => cell.trim());
    if (column < 0) {
      column = cells.indexOf(CITATIONS);
      continue;
    }
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    rows.push({ threat: cells[0] ?? '', cell: cells[column] ?? '' });
  }
  return rows;
}

/** A policy is cited by its name alone; a path has a slash or a dot. */
const isPolicyName = (text: string) => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(text);

const rows = citationRows(readPage(PAGE));
const citations = rows.flatMap((row) => citationsIn(row.cell));
const policyNames = new Set(allPolicies.map((policy) => policy.name));

describe(PAGE, () => {
  it('has threats tables, each row citing what implements its mitigation', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(
      rows.filter((row) => citationsIn(row.cell).length === 0).map((row) => row.threat),
    ).toEqual([]);
  });

  it('cites only paths that exist, each linked to itself', () => {
    const paths = citations.filter((citation) => !isPolicyName(citation.text));
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((citation) => !existsSync(join(root, citation.path)))).toEqual([]);
    expect(paths.filter((citation) => citation.text !== citation.path)).toEqual([]);
  });

  it('cites only policies of the pack, each linked to the rule file that defines it', () => {
    const policies = citations.filter((citation) => isPolicyName(citation.text));
    expect(policies.length).toBeGreaterThan(0);
    expect(policies.filter((citation) => !policyNames.has(citation.text))).toEqual([]);
    const elsewhere = policies.filter(
      (citation) =>
        !existsSync(join(root, citation.path)) ||
        !readFileSync(join(root, citation.path), 'utf8').includes(`'${citation.text}'`),
    );
    expect(elsewhere).toEqual([]);
  });

  it('tells a broken citation from a good one', () => {
    const page = [
      '| Threat | Implemented by |',
      '| --- | --- |',
      '| cited | [`tools/drill`](../tools/drill), [`gcp-kms-key-rotation`](../policies/rules/gcp/hardening.ts) |',
      '| uncited | nothing |',
    ].join('\n');
    const found = citationRows(page);
    expect(found.map((row) => row.threat)).toEqual(['cited', 'uncited']);
    expect(citationsIn(found[0]?.cell ?? '')).toEqual([
      { text: 'tools/drill', path: 'tools/drill' },
      { text: 'gcp-kms-key-rotation', path: 'policies/rules/gcp/hardening.ts' },
    ]);
    expect(isPolicyName('gcp-kms-key-rotation')).toBe(true);
    expect(isPolicyName('tools/audit-verify.ts')).toBe(false);
    expect(policyNames.has('gcp-kms-key-rotaton')).toBe(false);
  });
});
