import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import type { Principal } from '../../platform/types.js';
import { clientSubject } from './client-subject.js';
import { OAuthError } from './oauth-error.js';
import {
  type ClientRow,
  findClient,
  insertClient,
  revokeClient,
} from './repository/client-store.js';
import { type RoleName, scopesOfRole } from './roles.js';
import { requireHeldScopes } from './scope-grants.js';
import { hashClientSecret, isClientSecret, newSecret } from './secrets.js';
import type { TokenIssuer } from './token-issuer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface MachineClientsOptions {
  readonly sql: Database;
  readonly issue: TokenIssuer;
  /** Lifetime of an access token. Default 900 s. */
  readonly tokenSeconds?: number;
}

/** What the creator asked for: a role, or explicit scopes. */
export type ClientGrant = { readonly role: RoleName } | { readonly scopes: readonly string[] };

/** A client as the administrator sees it (RFC 7591 names): never its secret's hash. */
export interface ClientView {
  readonly client_id: string;
  readonly client_name: string;
  readonly role: string | null;
  /** What the client may ask for, space-separated. */
  readonly scope: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

/** A client's proof of identity, from HTTP Basic or the request body (RFC 6749, 2.3.1). */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The successful token response (RFC 6749, 5.1). */
export interface AccessTokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export interface MachineClients {
  /** A new client; its secret is in the answer and nowhere else, ever. */
  create(
    creator: Principal,
    request: { readonly name: string } & ClientGrant,
  ): Promise<ClientView & { client_secret: string }>;
  revoke(id: string): Promise<ClientView>;
  /** The client credentials grant: an access token, or an {@link OAuthError}. */
  grant(credentials: ClientCredentials, scope: string | undefined): Promise<AccessTokenResponse>;
}

export function machineClients({
  sql,
  issue,
  tokenSeconds = 900,
}: MachineClientsOptions): MachineClients {
  // Compared against when the client id is unknown, so its answer takes as long as a wrong
  // secret's and timing does not tell which client ids exist.
  const decoy = hashClientSecret(newSecret());
  const view = (row: ClientRow): ClientView => ({
    client_id: row.id,
    client_name: row.name,
    role: row.role,
    scope: [...row.scopes].sort().join(' '),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
  });
  const authenticated = async ({ clientId, clientSecret }: ClientCredentials) => {
    const row = UUID.test(clientId) ? await findClient(sql, clientId) : undefined;
    const matches = await isClientSecret(clientSecret, row?.secret_hash ?? (await decoy));
    if (!row || !matches) throw new OAuthError('invalid_client', 'client authentication failed');
    if (row.revoked_at) throw new OAuthError('invalid_client', 'client has been revoked');
    return row;
  };

  return {
    async create(creator, request) {
      const scopes = 'role' in request ? scopesOfRole(request.role) : [...new Set(request.scopes)];
      requireHeldScopes(creator, scopes, 'a client');
      const secret = newSecret();
      const row = await insertClient(sql, {
        id: randomUUID(),
        name: request.name,
        secretHash: await hashClientSecret(secret),
        role: 'role' in request ? request.role : undefined,
        scopes: [...scopes].sort(),
        createdBy: creator.subject,
      });
      return { ...view(row), client_secret: secret };
    },
    async revoke(id) {
      const row = await revokeClient(sql, id);
      if (!row) throw new NotFoundError(`no client ${id}`);
      return view(row);
    },
    async grant(credentials, scope) {
      const client = await authenticated(credentials);
      const allowed = new Set(client.scopes);
      const requested = scope === undefined ? [...allowed] : scope.split(' ').filter(Boolean);
      const refused = requested.filter((s) => !allowed.has(s));
      if (refused.length > 0)
        throw new OAuthError(
          'invalid_scope',
          `scope not granted to this client: ${refused.join(' ')}`,
        );
      const { token, expiresIn } = await issue({
        subject: clientSubject(client.id),
        scopes: requested,
        lifetimeSeconds: tokenSeconds,
      });
      return {
        access_token: token,
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: [...new Set(requested)].sort().join(' '),
      };
    },
  };
}
