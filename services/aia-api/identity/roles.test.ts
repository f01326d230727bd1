import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_SCOPES, ROLE_NAMES, ROLES, scopesOfRole } from './roles.js';

const SERVICES = join(import.meta.dirname, '..', '..');

/** The scopes the services' code checks: `requireScopes('a', 'b')` and `scopes.has('c')`. */
async function checkedScopes(): Promise<Map<string, string[]>> {
  const files = (await readdir(SERVICES, { recursive: true })).filter(
    (file) =>
      file.endsWith('.ts') &&
      !file.endsWith('.test.ts') &&
      !file.split('/').includes('testing') &&
      // The kit defines the checks; services make them.
      !file.startsWith('platform/'),
  );
  const found = new Map<string, string[]>();
  for (const file of files) {
    const source = await readFile(join(SERVICES, file), 'utf8');
    const calls = [
      ...[...source.matchAll(/requireScopes\(([^)]*)\)/g)].map((m) => m[1] ?? ''),
      ...[...source.matchAll(/scopes\.has\(([^)]*)\)/g)].map((m) => m[1] ?? ''),
    ];
    for (const args of calls)
      for (const [, scope] of args.matchAll(/'([a-z0-9_-]+:[a-z0-9_-]+)'/g))
        if (scope) found.set(scope, [...(found.get(scope) ?? []), file]);
  }
  return found;
}

describe('roles', () => {
  it('grant every scope a service checks, and list no scope nobody checks', async () => {
    const checked = await checkedScopes();
    const granted = new Set<string>(ROLE_NAMES.flatMap((role) => scopesOfRole(role)));
    const ungranted = [...checked.keys()].filter((scope) => !granted.has(scope));
    expect(ungranted, `checked by ${ungranted.map((s) => checked.get(s)).join('; ')}`).toEqual([]);
    expect([...checked.keys()].sort()).toEqual([...PLATFORM_SCOPES].sort());
  });

  it('give the viewer every read scope and nothing else', () => {
    expect(scopesOfRole('viewer')).toEqual(
      PLATFORM_SCOPES.filter((s) => s.endsWith(':read')).sort(),
    );
  });

  it('give each role more than the viewer, except the viewer, and the administrator all', () => {
    for (const role of ROLE_NAMES)
      expect(ROLES[role]).toEqual(expect.arrayContaining(ROLES.viewer));
    expect(scopesOfRole('administrator')).toEqual([...PLATFORM_SCOPES].sort());
    expect(scopesOfRole('agent-operator')).not.toContain('ledger:write');
    expect(scopesOfRole('treasurer')).not.toContain('agents:write');
  });
});
