import postgres from 'postgres';
import { auditRecordPages } from '../services/aia-api/protection/audit/audit-store.js';
import { describeVerdict, verifyChain } from '../services/aia-api/protection/audit/verify-chain.js';
import type { Database } from '../services/platform/db.js';
import { EX_USAGE, UsageError } from './local-stack/usage-error.js';

const USAGE = `usage: npm run audit:verify [-- --database-url URL]

Reads the gateway's audit chain (table audit_records) in seq order, recomputes every record's
SHA-256 over its canonical JSON and its link to the record before, and prints
"chain intact: N records, head <hash>" (exit 0), or the first broken link: the seq, what was
expected and what was found (exit 1). The database is the gateway's: --database-url, else
DATABASE_URL. Exit 2: no database given; 3: the database could not be read.`;

/** The database URL from the command line, else DATABASE_URL. */
function databaseUrl(args: readonly string[]): string {
  const at = args.indexOf('--database-url');
  const url = at >= 0 ? args[at + 1] : process.env.DATABASE_URL;
  const unknown = args.filter(
    (arg, i) => arg.startsWith('--') && arg !== '--database-url' && i !== at + 1,
  );
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]}`);
  if (!url)
    throw new UsageError(
      "no database: set DATABASE_URL or pass --database-url URL (the gateway's)",
    );
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new UsageError(
      '--database-url / DATABASE_URL: expected a postgres:// or postgresql:// URL',
    );
  return url;
}

const EX_UNAVAILABLE = 3;
const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
let sql: Database | undefined;
try {
  sql = postgres(databaseUrl(args), { max: 1, onnotice: () => {} }) as Database;
  const verdict = await verifyChain(auditRecordPages(sql));
  process.stdout.write(`${describeVerdict(verdict)}\n`);
  process.exitCode = verdict.intact ? 0 : 1;
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exitCode = EX_USAGE;
  } else {
    process.stderr.write(`cannot read the audit chain: ${(error as Error).message}\n`);
    process.exitCode = EX_UNAVAILABLE;
  }
} finally {
  await sql?.end({ timeout: 5 });
}
