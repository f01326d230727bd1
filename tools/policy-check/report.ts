import type { PolicyVerdict } from './check.js';

const SECTIONS = [
  ['mandatory', 'Mandatory', '✗'],
  ['advisory', 'Advisory', '!'],
] as const;

/** `urn:...::gcp:sql/databaseInstance:DatabaseInstance::aia-production-postgres` → name (type). */
function describeUrn(urn: string): string {
  const parts = urn.split('::');
  const name = parts.at(-1);
  const type = parts.at(-2)?.split('$').at(-1);
  return name && type ? `${name} (${type})` : urn || 'the stack';
}

/** The verdicts for people: violations grouped by enforcement level, each with rule, resource and fix. */
export function renderVerdict(verdict: PolicyVerdict): string {
  const lines = [
    `Policies: ${verdict.policies} rules of pack aia-platform over ${verdict.resources} resources (stack ${verdict.stack})`,
  ];
  for (const [level, title, mark] of SECTIONS) {
    const found = verdict.violations.filter((v) => v.enforcementLevel === level);
    if (found.length === 0) continue;
    lines.push('', `${title} (${found.length})`);
    for (const violation of found) {
      lines.push(
        `  ${mark} ${violation.policy}  ${describeUrn(violation.urn)}`,
        `      ${violation.message}`,
      );
    }
  }
  lines.push(
    '',
    verdict.mandatory === 0
      ? `No mandatory violations (${verdict.violations.length} advisory).`
      : `${verdict.mandatory} mandatory violation(s): the preview would fail.`,
  );
  return lines.join('\n');
}
