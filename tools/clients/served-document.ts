import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serviceDefinition } from '../../services/catalog.js';
import { serviceModules } from '../../services/modules.js';
import { startService } from '../../services/platform/runtime.js';
import { findFreePort, startPostgres } from '../local-servers/index.js';
import { devSecretsFor, loadDevSecrets } from '../local-stack/dev-secrets.js';
import { ensureServiceDatabases } from '../local-stack/service-databases.js';
import { signToken } from '../local-stack/sign-token.js';
import type { ClientService } from './client-types.js';

/**
 * The OpenAPI documents `services` serve: each is started for real (its module, configuration,
 * migrations) against a throwaway PostgreSQL, asked for `/v1/openapi.json`, and stopped.
 */
export async function servedDocuments(
  services: readonly ClientService[],
  say: (line: string) => void = () => {},
): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'aia-clients-'));
  // PostgreSQL may run as another OS user (as root, `postgres`): it must get through.
  await chmod(dir, 0o711);
  const postgres = await startPostgres({ dataDir: join(dir, 'postgres') });
  try {
    const secrets = await loadDevSecrets(join(dir, 'secrets.json'));
    const usesPostgres = services.filter((name) =>
      serviceDefinition(name).dataStores.includes('postgres'),
    );
    const databases = await ensureServiceDatabases(postgres.adminUrl, usesPostgres);
    const documents: Record<string, unknown> = {};
    for (const name of services) {
      const service = await startService(name, {
        module: serviceModules[name],
        env: {
          ...devSecretsFor(secrets, name),
          ...(databases[name] ? { DATABASE_URL: databases[name] } : {}),
          HOST: '127.0.0.1',
          PORT: String(await findFreePort()),
          LOG_LEVEL: 'error',
        },
        logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      });
      try {
        // Sent with a token, in case the document sits behind the API's authentication.
        const token = await signToken({ signingKey: secrets.JWT_SIGNING_KEY, subject: 'tools' });
        const response = await fetch(`${service.url}/v1/openapi.json`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!response.ok) throw new Error(`${name} answered ${response.status} for its document`);
        documents[name] = await response.json();
        say(`  ✓ ${name}: /v1/openapi.json`);
      } finally {
        await service.stop();
      }
    }
    return documents;
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
