import postgres from 'postgres';

/** `economic-governor` → `aia_economic_governor`. */
export const databaseNameFor = (service: string) => `aia_${service.replaceAll('-', '_')}`;

/**
 * Creates one database per service (as the deployed stacks have) unless it exists, and returns
 * each service's connection URL on the same server.
 */
export async function ensureServiceDatabases(
  adminUrl: string,
  services: readonly string[],
): Promise<Record<string, string>> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const urls: Record<string, string> = {};
    for (const service of services) {
      const name = databaseNameFor(service);
      const [row] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!row) await admin.unsafe(`create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      urls[service] = url.toString();
    }
    return urls;
  } finally {
    await admin.end();
  }
}
