/**
 * PostgreSQL grants for IAM database authentication. Cloud SQL creates IAM users with no
 * privileges, but every database starts with CONNECT for PUBLIC, and the password users the API
 * creates are members of `cloudsqlsuperuser` (CREATEROLE, CREATEDB): with them, one database per
 * service isolates nothing. These statements make each service's IAM user the owner of its own
 * database, take CONNECT away from everyone else, hand the legacy password user's objects over and
 * stop that user from logging in.
 *
 * Pulumi cannot run them (the instance has a private address only); an operator runs the
 * rendered script once per stack, and again after adding a service, as the built-in `postgres`
 * user (docs/cloudsql-iam.md). Every statement is idempotent.
 *
 * Auditors (the people who run the ledger checks on a clone or a promoted replica) log in as
 * themselves, members of a Google group whose IAM database user (`CLOUD_IAM_GROUP`) gets CONNECT
 * and SELECT on the databases they audit, nothing else: no shared password, no writes.
 */

/** One service's database, its IAM database user and, while it exists, its old password user. */
export interface IamDatabaseGrant {
  readonly service: string;
  readonly database: string;
  /** The service account email without `.gserviceaccount.com`. */
  readonly iamUser: string;
  readonly legacyUser?: string;
}

/** The auditors' group role (its email, as Cloud SQL names it) and the databases it reads. */
export interface AuditorGrant {
  readonly role: string;
  /** Each database with the IAM user that owns it (and creates its tables). */
  readonly databases: readonly { readonly database: string; readonly owner: string }[];
}

/** Statements to run connected to `database` (`undefined`: any database, such as `postgres`). */
export interface GrantStep {
  readonly database?: string;
  readonly statements: readonly string[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The IAM database user of a Google service account: its email without `.gserviceaccount.com`. */
export function iamDatabaseUser(serviceAccountEmail: string): string {
  const user = serviceAccountEmail.replace(/\.gserviceaccount\.com$/, '');
  if (user === serviceAccountEmail) {
    throw new Error(`${serviceAccountEmail} is not a Google service account email`);
  }
  return user;
}

/**
 * The grant steps, in order: cluster-wide first, then inside each service's database, then the
 * auditors' read-only access.
 */
export function iamGrantSteps(
  grants: readonly IamDatabaseGrant[],
  auditors?: AuditorGrant,
): GrantStep[] {
  const cluster = grants.flatMap(({ database, iamUser, legacyUser }) => [
    // Nobody but the owner connects: PUBLIC's default CONNECT and TEMPORARY go.
    `REVOKE ALL ON DATABASE ${quote(database)} FROM PUBLIC`,
    // Handing a database or objects to a role needs membership in it (and in the old owner).
    `GRANT ${quote(iamUser)} TO CURRENT_USER`,
    ...(legacyUser ? [`GRANT ${quote(legacyUser)} TO CURRENT_USER`] : []),
    `ALTER DATABASE ${quote(database)} OWNER TO ${quote(iamUser)}`,
  ]);
  // Schema public belongs to pg_database_owner (PostgreSQL 15), so to the service from here on.
  const perDatabase = grants.map(({ database, iamUser, legacyUser }) => ({
    database,
    statements: [
      ...(legacyUser
        ? [
            `REASSIGN OWNED BY ${quote(legacyUser)} TO ${quote(iamUser)}`,
            // The password in Secret Manager stops working: no service reads it any more.
            `ALTER ROLE ${quote(legacyUser)} NOLOGIN`,
          ]
        : []),
    ],
  }));
  return [{ statements: cluster }, ...perDatabase, ...auditorSteps(auditors)];
}

/**
 * Read-only access for the auditors' group role: CONNECT (PUBLIC's was revoked above), USAGE on
 * schema public and SELECT on its tables, those there now and, through the owner's default
 * privileges, those its migrations create later (on a new stack the script runs before them).
 */
function auditorSteps(auditors: AuditorGrant | undefined): GrantStep[] {
  if (!auditors) return [];
  const role = quote(auditors.role);
  return [
    {
      statements: auditors.databases.map(
        ({ database }) => `GRANT CONNECT ON DATABASE ${quote(database)} TO ${role}`,
      ),
    },
    ...auditors.databases.map(({ database, owner }) => ({
      database,
      statements: [
        `GRANT USAGE ON SCHEMA public TO ${role}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`,
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${quote(owner)} IN SCHEMA public GRANT SELECT ON TABLES TO ${role}`,
      ],
    })),
  ];
}

/** The steps as one psql script (`\connect` between databases), stopping at the first error. */
export function iamGrantsScript(
  grants: readonly IamDatabaseGrant[],
  auditors?: AuditorGrant,
): string {
  const lines = ['\\set ON_ERROR_STOP on'];
  for (const step of iamGrantSteps(grants, auditors)) {
    if (step.database) lines.push(`\\connect ${quote(step.database)}`);
    lines.push(...step.statements.map((statement) => `${statement};`));
  }
  return `${lines.join('\n')}\n`;
}
