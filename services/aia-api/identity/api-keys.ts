import type { Database } from '../../platform/db.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../platform/errors.js';
import type { Principal } from '../../platform/types.js';
import { newApiKey, parseApiKey } from './api-key-format.js';
import { ApiKeyPrincipal } from './api-key-principal.js';
import {
  type ApiKeyRow,
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from './repository/api-key-store.js';
import { requireHeldScopes } from './scope-grants.js';
import { hashApiKeySecret, isApiKeySecret } from './secrets.js';
import type { TokenIssuer } from './token-issuer.js';

const DAY_MS = 86_400_000;

export interface ApiKeysOptions {
  readonly sql: Database;
  readonly issue: TokenIssuer;
  /** Longest lifetime of a key. Default 365 days. */
  readonly maxLifetimeDays?: number;
  /** Lifetime of the JWT minted for a key's requests to upstreams. Default 300 s. */
  readonly upstreamTokenSeconds?: number;
  /** A minted token is renewed once less than this is left. Default 60 s. */
  readonly renewBeforeSeconds?: number;
  /** `last_used_at` is written at most this often per key. Default 60 s. */
  readonly touchIntervalSeconds?: number;
  /** Minted tokens kept (one per key in use). Default 10,000. */
  readonly cacheSize?: number;
  readonly now?: () => number;
}

export interface NewApiKeyRequest {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expires_at: string;
}

/** A key as its owner sees it: never its secret. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly created_at: string;
  readonly expires_at: string;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
}

/** People's API keys: created (shown once), listed, revoked, and checked on every use. */
export interface ApiKeys {
  create(
    owner: Principal,
    request: NewApiKeyRequest,
  ): Promise<{ api_key: ApiKeyView; key: string }>;
  list(owner: Principal): Promise<ApiKeyView[]>;
  revoke(owner: Principal, id: string): Promise<ApiKeyView>;
  /** The caller a key stands for, or a 401 saying why not (unknown, wrong, expired, revoked). */
  authenticate(key: string): Promise<ApiKeyPrincipal>;
}

export function apiKeys({
  sql,
  issue,
  maxLifetimeDays = 365,
  upstreamTokenSeconds = 300,
  renewBeforeSeconds = 60,
  touchIntervalSeconds = 60,
  cacheSize = 10_000,
  now = Date.now,
}: ApiKeysOptions): ApiKeys {
  const view = (row: ApiKeyRow): ApiKeyView => ({
    id: row.id,
    name: row.name,
    scopes: [...row.scopes].sort(),
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    status: row.revoked_at ? 'revoked' : row.expires_at.getTime() <= now() ? 'expired' : 'active',
  });
  // Key id → the token minted for it; Map order is insertion order, so the first is the oldest.
  const minted = new Map<string, { authorization: string; renewAtMs: number }>();
  const upstreamAuthorization = async (row: ApiKeyRow) => {
    const known = minted.get(row.id);
    if (known && known.renewAtMs > now()) return known.authorization;
    minted.delete(row.id);
    const { token, expiresAtMs } = await issue({
      subject: row.owner,
      scopes: row.scopes,
      // Never past the key's own expiry.
      lifetimeSeconds: Math.max(
        1,
        Math.min(upstreamTokenSeconds, Math.floor((row.expires_at.getTime() - now()) / 1000)),
      ),
    });
    const authorization = `Bearer ${token}`;
    if (minted.size >= cacheSize) minted.delete(minted.keys().next().value as string);
    minted.set(row.id, { authorization, renewAtMs: expiresAtMs - renewBeforeSeconds * 1000 });
    return authorization;
  };
  const refused = (reason: string) => new UnauthorizedError(reason, 'invalid_token');

  return {
    async create(owner, { name, scopes, expires_at }) {
      const expiry = new Date(expires_at);
      const latest = now() + maxLifetimeDays * DAY_MS;
      if (expiry.getTime() <= now())
        throw new ValidationError([{ field: 'expires_at', reason: 'must be in the future' }]);
      if (expiry.getTime() > latest)
        throw new ValidationError([
          {
            field: 'expires_at',
            reason: `must be at most ${maxLifetimeDays} days from now (${new Date(latest).toISOString()})`,
          },
        ]);
      requireHeldScopes(owner, scopes, 'an API key');
      const { id, secret, key } = newApiKey();
      const row = await insertApiKey(sql, {
        id,
        owner: owner.subject,
        name,
        secretHash: hashApiKeySecret(secret),
        scopes: [...new Set(scopes)].sort(),
        expiresAt: expiry,
      });
      return { api_key: view(row), key };
    },
    async list(owner) {
      return (await listApiKeys(sql, owner.subject)).map(view);
    },
    async revoke(owner, id) {
      const row = await revokeApiKey(sql, owner.subject, id);
      if (!row) throw new NotFoundError(`you have no API key ${id}`);
      minted.delete(id);
      return view(row);
    },
    async authenticate(key) {
      const parsed = parseApiKey(key);
      if (!parsed) throw refused('API key is malformed: expected aia_<16 hex digits>_<secret>');
      // Read on every use, so a revocation takes effect at once on every replica.
      const row = await findApiKey(sql, parsed.id);
      if (!row || !isApiKeySecret(parsed.secret, row.secret_hash))
        throw refused('API key is not known here');
      if (row.revoked_at) throw refused('API key has been revoked');
      if (row.expires_at.getTime() <= now()) throw refused('API key has expired');
      // A write only when the recorded use is older than the interval, not one per request.
      const lastUsedMs = row.last_used_at?.getTime() ?? Number.NEGATIVE_INFINITY;
      const touch =
        now() - lastUsedMs >= touchIntervalSeconds * 1000
          ? touchApiKey(sql, row.id, touchIntervalSeconds)
          : undefined;
      const [authorization] = await Promise.all([upstreamAuthorization(row), touch]);
      return new ApiKeyPrincipal(row.owner, new Set(row.scopes), row.id, authorization);
    },
  };
}
