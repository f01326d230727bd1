import { describe, expect, it } from 'vitest';
import { libpqTls } from './run-queue.js';

describe('libpqTls', () => {
  it('reads sslmode=require as the kit’s pool does: encrypted, not verified', () => {
    expect(libpqTls('postgres://u:p@10.0.0.3:5432/orchestrator?sslmode=require')).toEqual({
      connectionString: 'postgres://u:p@10.0.0.3:5432/orchestrator',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('leaves a URL without TLS, or asking for verification, to node-postgres', () => {
    for (const url of [
      'postgres://u:p@127.0.0.1:5432/db',
      'postgres://u:p@db.example/db?sslmode=verify-full',
    ])
      expect(libpqTls(url)).toEqual({ connectionString: url });
  });
});
