import { type PostgresServer, startPostgres } from '../local-servers/index.js';
import { runPgTool } from './pg-tools.js';

/**
 * A hot standby of `primary` streaming its WAL, as a Cloud SQL read replica does: `pg_basebackup
 * --write-recovery-conf` into `dataDir` (standby.signal and primary_conninfo, the password from
 * PGPASSWORD), then PostgreSQL started on it on a port of its own. Resolves once it answers
 * queries; stop it like any server of `startPostgres`.
 * @throws Error with the tool's output when the base backup fails.
 */
export async function startStreamingReplica(
  primary: Pick<PostgresServer, 'host' | 'port'>,
  password: string,
  dataDir: string,
): Promise<PostgresServer> {
  await runPgTool(
    'pg_basebackup',
    [
      `--dbname=host=${primary.host} port=${primary.port} user=postgres`,
      `--pgdata=${dataDir}`,
      '--wal-method=stream',
      '--write-recovery-conf',
      '--checkpoint=fast',
    ],
    { PGPASSWORD: password },
  );
  return startPostgres({ dataDir, password, settings: { hot_standby: 'on' } });
}
