import { describe, expect, it } from 'vitest';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { catalog } from '../catalog.js';
import { ConfigError, loadConfig, secretKeysOf } from './config.js';

const governorEnv = catalog['economic-governor'].env;
const complete = {
  PORT: '8001',
  ...testJwtEnv,
  DATABASE_URL: 'postgres://aia:pw@127.0.0.1:5432/aia',
  TREASURY_PRIVATE_KEY: 't'.repeat(40),
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig('economic-governor', governorEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('parses a complete environment with typed defaults', () => {
    const config = loadConfig('economic-governor', governorEnv, complete);
    expect(config).toMatchObject({
      PORT: 8001,
      ENVIRONMENT: 'development',
      AIA_INITIAL_SUPPLY: '1000000000',
      AIA_GOV_INITIAL_SUPPLY: '100000000',
      GOVERNANCE_ENABLED: true,
      RATE_LIMIT_FAIL_MODE: 'open',
    });
  });

  it('lists every missing or bad variable in one error, with what each expects', () => {
    const error = configError({
      PORT: 'eighty',
      GOVERNANCE_ENABLED: 'maybe',
      JWT_PUBLIC_KEYS: '{"keys": []}',
    });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'PORT', reason: "expected a TCP port number, received 'eighty'" },
        { field: 'GOVERNANCE_ENABLED', reason: "expected true or false, received 'maybe'" },
        { field: 'JWT_PUBLIC_KEYS.keys', reason: 'must hold at least one key' },
        {
          field: 'TREASURY_PRIVATE_KEY',
          reason: 'required (expected a secret of at least 32 characters)',
        },
      ]),
    );
    expect(error.message).toMatch(/^Invalid configuration for economic-governor \(4 problems\):/);
  });

  it('requires exactly one way to PostgreSQL: DATABASE_URL or the Cloud SQL connector', () => {
    const { DATABASE_URL: _, ...withoutDatabase } = complete;
    expect(configError(withoutDatabase).issues).toEqual([
      {
        field: 'DATABASE_URL',
        reason:
          'required (expected a postgres or postgresql URL), or the Cloud SQL connector: CLOUD_SQL_INSTANCE, DATABASE_USER and DATABASE_NAME',
      },
    ]);
    expect(configError({ ...withoutDatabase, CLOUD_SQL_INSTANCE: 'p:r:i' }).issues).toEqual([
      {
        field: 'DATABASE_USER',
        reason: 'required with the Cloud SQL connector (CLOUD_SQL_INSTANCE set)',
      },
      {
        field: 'DATABASE_NAME',
        reason: 'required with the Cloud SQL connector (CLOUD_SQL_INSTANCE set)',
      },
    ]);
    expect(configError({ ...complete, CLOUD_SQL_INSTANCE: 'p:r:i' }).issues).toEqual([
      {
        field: 'DATABASE_URL',
        reason:
          'is set together with CLOUD_SQL_INSTANCE: use either DATABASE_URL or the Cloud SQL connector (CLOUD_SQL_INSTANCE, DATABASE_USER, DATABASE_NAME), not both',
      },
    ]);
    const config = loadConfig('economic-governor', governorEnv, {
      ...withoutDatabase,
      CLOUD_SQL_INSTANCE: 'aia-prod:europe-west1:aia-sql',
      DATABASE_USER: 'economic-governor-production@aia-prod.iam',
      DATABASE_NAME: 'economic_governor',
    });
    expect(config).toMatchObject({
      CLOUD_SQL_IP_TYPE: 'PRIVATE',
      DATABASE_NAME: 'economic_governor',
    });
  });

  it('never echoes the value of a secret variable', () => {
    const error = configError({ ...complete, DATABASE_URL: 'mysql://root:hunter2@db/aia' });
    expect(error.issues).toEqual([
      { field: 'DATABASE_URL', reason: 'expected a postgres or postgresql URL' },
    ]);
    expect(error.message).not.toContain('hunter2');
  });

  it('marks keys, database URLs and provider keys as secrets', () => {
    expect(secretKeysOf(governorEnv)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'TREASURY_PRIVATE_KEY']),
    );
    expect(secretKeysOf(governorEnv)).not.toContain('PORT');
    // Public keys are not secret; the signing key is, and only the issuer has it.
    expect(secretKeysOf(governorEnv)).not.toContain('JWT_PUBLIC_KEYS');
    expect(secretKeysOf(catalog['aia-api'].env)).toContain('JWT_SIGNING_KEY');
    expect(Object.keys(governorEnv.shape)).not.toContain('JWT_SIGNING_KEY');
    expect(secretKeysOf(catalog['agent-orchestrator'].env)).toContain('OPENAI_API_KEY');
  });

  it('requires REDIS_URL on deployed stacks but not locally', () => {
    expect(() => loadConfig('economic-governor', governorEnv, complete)).not.toThrow();
    const error = configError({ ...complete, ENVIRONMENT: 'production' });
    expect(error.issues).toEqual([
      { field: 'REDIS_URL', reason: 'required when ENVIRONMENT is production' },
    ]);
  });

  it('lists cross-field problems together with field problems', () => {
    const dkg = catalog['dkg-manager'].env;
    try {
      loadConfig('dkg-manager', dkg, {
        PORT: 'x',
        ENVIRONMENT: 'production',
        GRAPH_BACKEND: 'neo4j',
      });
      expect.unreachable('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.field).sort()).toEqual([
        'DATABASE_URL',
        'JWT_PUBLIC_KEYS',
        'NEO4J_PASSWORD',
        'NEO4J_URI',
        'PORT',
        'REDIS_URL',
      ]);
    }
  });

  it.each([
    ['not JSON', 'keys', /expected a JSON Web Key Set of the issuer's ES256 public keys as JSON/],
    ['a private key', 'PRIVATE', /holds a private key \(d\): publish only public keys/],
    ['an RSA key', 'RSA', /expected kty "EC"/],
  ])('refuses JWT_PUBLIC_KEYS holding %s, saying why', (_, kind, reason) => {
    const [publicKey] = JSON.parse(testJwtEnv.JWT_PUBLIC_KEYS).keys;
    const value =
      kind === 'keys'
        ? 'keys'
        : JSON.stringify({
            keys: [
              kind === 'PRIVATE' ? { ...publicKey, d: 'secret' } : { ...publicKey, kty: 'RSA' },
            ],
          });
    const error = configError({ ...complete, JWT_PUBLIC_KEYS: value });
    expect(error.message).toMatch(reason);
  });

  it('refuses a JWT_SIGNING_KEY that is not a P-256 private key, without echoing it', () => {
    let error: unknown;
    try {
      loadConfig('aia-api', catalog['aia-api'].env, {
        PORT: '8000',
        ...testJwtEnv,
        // Parsed only, never connected: the gateway's configuration requires its PostgreSQL.
        DATABASE_URL: complete.DATABASE_URL,
        JWT_SIGNING_KEY: 'hunter2-not-a-key',
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues).toEqual([
      {
        field: 'JWT_SIGNING_KEY',
        reason: expect.stringMatching(/^expected a PKCS#8 PEM ECDSA P-256 private key/),
      },
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('requires Neo4j credentials only when the neo4j graph backend is selected', () => {
    const dkg = catalog['dkg-manager'].env;
    const base = {
      PORT: '8004',
      ...testJwtEnv,
      DATABASE_URL: complete.DATABASE_URL,
    };
    expect(() => loadConfig('dkg-manager', dkg, base)).not.toThrow();
    expect(() => loadConfig('dkg-manager', dkg, { ...base, GRAPH_BACKEND: 'neo4j' })).toThrow(
      /NEO4J_URI: required when GRAPH_BACKEND is neo4j/,
    );
  });
});
