import { describe, expect, it } from 'vitest';
import { EXPORT_SPACING_MINUTES, exportRequest, exportSchedule } from './exports.js';

describe('scheduled Cloud SQL exports', () => {
  it('space the databases 15 minutes apart, past the hour and past midnight', () => {
    expect(EXPORT_SPACING_MINUTES).toBe(15);
    expect([0, 1, 2, 3, 4, 5].map((index) => exportSchedule(1, index))).toEqual([
      '0 1 * * *',
      '15 1 * * *',
      '30 1 * * *',
      '45 1 * * *',
      '0 2 * * *',
      '15 2 * * *',
    ]);
    expect(exportSchedule(23, 5)).toBe('15 0 * * *');
  });

  it('export one database per request, gzipped SQL, offloaded from the primary', () => {
    expect(exportRequest('aia-production-sql-exports', 'economic_governor')).toEqual({
      exportContext: {
        fileType: 'SQL',
        uri: 'gs://aia-production-sql-exports/economic_governor.sql.gz',
        databases: ['economic_governor'],
        offload: true,
      },
    });
  });
});
