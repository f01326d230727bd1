import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { cloudSqlCrossRegionReplica } from './cloudsql-disaster-recovery.js';
import {
  sqlDisasterRecoveryReplica as drReplica,
  sqlPrimary,
  sqlReplica,
} from './test-fixtures.js';
import { withInput } from './test-helpers.js';

const check = (...resources: ReturnType<typeof sqlPrimary>[]) =>
  violationsOf([cloudSqlCrossRegionReplica], resources).then(messagesOf);

describe('gcp-cloudsql-cross-region-replica', () => {
  it('passes a primary with a replica in another region beside its local one', async () => {
    expect(await check(sqlPrimary(), sqlReplica(), drReplica())).toEqual([]);
  });

  it('flags a primary whose only replica is in its own region', async () => {
    expect(await check(sqlPrimary(), sqlReplica())).toEqual([
      "Cloud SQL instance 'aia-production-postgres' has no replica outside us-central1: losing the region loses the database until it returns; set aia-platform:cloudSql.disasterRecovery.region to another region.",
    ]);
  });

  it("does not count another primary's replica", async () => {
    const foreign = withInput(drReplica(), 'masterInstanceName', 'someone-else');
    expect(await check(sqlPrimary(), foreign)).toHaveLength(1);
  });
});
