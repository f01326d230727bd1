import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serviceDefinition } from '../catalog.js';
import { openReadReplica } from './read-database.js';

const issuesAt = (env: Record<string, string>, key: string) => {
  const result = serviceDefinition('economic-governor').env.safeParse(env);
  return (result.error?.issues ?? []).filter((issue) => issue.path[0] === key);
};

describe('the read replica settings', () => {
  it('refuse a replica URL without a primary URL, and a replica instance without the connector', () => {
    expect(
      issuesAt(
        {
          CLOUD_SQL_INSTANCE: 'p:r:primary',
          DATABASE_USER: 'u',
          DATABASE_NAME: 'd',
          DATABASE_READ_URL: 'postgres://u:p@replica/d',
        },
        'DATABASE_READ_URL',
      ),
    ).toHaveLength(1);
    expect(
      issuesAt(
        { DATABASE_URL: 'postgres://u:p@primary/d', CLOUD_SQL_READ_INSTANCE: 'p:r:replica' },
        'CLOUD_SQL_READ_INSTANCE',
      ),
    ).toHaveLength(1);
    expect(
      issuesAt(
        {
          DATABASE_URL: 'postgres://u:p@primary/d',
          DATABASE_READ_URL: 'postgres://u:p@replica/d',
        },
        'DATABASE_READ_URL',
      ),
    ).toEqual([]);
  });

  it('open no replica pool when neither is set: reads use the primary', async () => {
    const logger = pino({ level: 'silent' });
    expect(
      await openReadReplica(
        { DATABASE_URL: 'postgres://u:p@primary/d' },
        { applicationName: 'x', logger },
      ),
    ).toBeUndefined();
  });
});
