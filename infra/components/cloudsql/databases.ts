/** A service's database and the user it connects as. */
export interface ServiceDatabase {
  readonly database: string;
  readonly user: string;
}

const SERVICE = /^[a-z][a-z0-9-]{0,62}$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Throws, with a sentence saying why, unless every service name is a lower-case label value and
 * every database and user name is a plain PostgreSQL identifier used by one service only.
 */
export function validateDatabases(databases: Readonly<Record<string, ServiceDatabase>>): void {
  const owners = new Map<string, string>();
  for (const [service, { database, user }] of Object.entries(databases)) {
    if (!SERVICE.test(service)) {
      throw new Error(
        `Service "${service}" must be lower-case letters, digits and "-", starting with a letter`,
      );
    }
    for (const [kind, identifier] of [
      ['database', database],
      ['user', user],
    ] as const) {
      if (!IDENTIFIER.test(identifier)) {
        throw new Error(
          `The ${kind} of ${service}, "${identifier}", must be a lower-case PostgreSQL identifier (letters, digits, "_")`,
        );
      }
      const owner = owners.get(`${kind}:${identifier}`);
      if (owner) {
        throw new Error(
          `${service} and ${owner} share the ${kind} "${identifier}": each service gets its own`,
        );
      }
      owners.set(`${kind}:${identifier}`, service);
    }
  }
}

/** Length of generated database passwords: letters and digits only, so URLs need no escaping. */
export const PASSWORD_LENGTH = 32;

/** `postgres://user:password@host:5432/database?sslmode=require`, every part URL-encoded. */
export function postgresUrl(
  parts: ServiceDatabase & { readonly password: string; readonly host: string },
): string {
  const enc = encodeURIComponent;
  return `postgres://${enc(parts.user)}:${enc(parts.password)}@${parts.host}:5432/${enc(parts.database)}?sslmode=require`;
}
