import { describe, expect, it } from 'vitest';
import { useLedgerDatabase } from '../../services/economic-governor/testing/ledger-database.js';
import { nowUs } from './clock.js';
import { checkLedgerAt } from './ledger-checks.js';

describe('npm run drill -- ledger-checks', () => {
  const db = useLedgerDatabase('drill_ledger_checks');

  it('passes on a ledger whose transfers all precede the target', async () => {
    const checks = await checkLedgerAt(db.url, nowUs());
    expect(checks.filter((check) => !check.passed)).toEqual([]);
    expect(checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'AIA: the books balance',
        'AIA_GOV: the supply is what was minted minus what was burnt',
      ]),
    );
  });

  it('fails when transfers were made after the target', async () => {
    const hourAgo = nowUs() - 3_600_000_000n;
    const checks = await checkLedgerAt(db.url, hourAgo);
    const late = checks.find((check) => /after the target/.test(check.name));
    expect(late?.passed).toBe(false);
    expect(late?.detail).toMatch(/ 2 (committed|created) after /);
  });
});
