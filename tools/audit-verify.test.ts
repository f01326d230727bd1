import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  appendAuditRecord,
  auditChainHead,
} from '../services/aia-api/protection/audit/audit-store.js';
import { useGatewayDatabase } from '../services/aia-api/protection/testing/gateway-database.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
const database = useGatewayDatabase('audit_verify');

/** `npm run audit:verify -- ...args` as a child process: its exit code, stdout and stderr. */
async function auditVerify(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/audit-verify.ts'), ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs `statement` as the superuser with the table's triggers off, as only an attacker would. */
const tamper = (statement: string) =>
  database.sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx.unsafe(statement);
  });

describe('npm run audit:verify', () => {
  it('proves an intact chain: its length and head, exit 0', async () => {
    for (let n = 1; n <= 6; n++)
      await appendAuditRecord(database.sql, {
        actor: `user:${n}`,
        action: 'DELETE /v1/graph/*',
        target: `/v1/graph/skills/${n}`,
        request_id: null,
        details: { route_class: 'api', note: 'ünïcödé ✓' },
        occurred_at: new Date().toISOString(),
        outcome: { status: 204, class: 'success' },
      });
    const head = await auditChainHead(database.sql);
    const { code, stdout } = await auditVerify([], { DATABASE_URL: database.url });
    expect(stdout.trim()).toBe(`chain intact: 6 records, head ${head?.hash}`);
    expect(code).toBe(0);
  });

  it('names the seq of a record changed behind the triggers, exit 1', async () => {
    await tamper(`update audit_records set outcome_status = 200 where seq = 4`);
    const { code, stdout } = await auditVerify(['--database-url', database.url]);
    expect(stdout).toMatch(
      /^chain broken at seq 4: record seq 4 was altered: hash; expected [0-9a-f]{64}, found [0-9a-f]{64} \(3 records intact before it\)/,
    );
    expect(code).toBe(1);
    await tamper(`update audit_records set outcome_status = 204 where seq = 4`);
    expect((await auditVerify([], { DATABASE_URL: database.url })).code).toBe(0);
  });

  it('names the gap a deleted record leaves, exit 1', async () => {
    await tamper(`delete from audit_records where seq = 2`);
    const { code, stdout } = await auditVerify([], { DATABASE_URL: database.url });
    expect(stdout.trim()).toBe(
      'chain broken at seq 2: record seq 2 is missing (deleted?); expected seq 2, found seq 3 (1 records intact before it)',
    );
    expect(code).toBe(1);
  });

  it('says what it needs without a database (exit 2) and when it cannot read one (exit 3)', async () => {
    const missing = await auditVerify([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no database: set DATABASE_URL or pass --database-url URL');
    const unreadable = await auditVerify([], {
      DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:1/none',
    });
    expect(unreadable.code).toBe(3);
    expect(unreadable.stderr).toMatch(/^cannot read the audit chain: /);
    expect(unreadable.stderr).not.toContain('wrong');
  });
});
