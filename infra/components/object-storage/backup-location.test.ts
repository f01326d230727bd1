import { describe, expect, it } from 'vitest';
import {
  backupBucketLocation,
  backupLocation,
  backupLocationSuffix,
  isSingleRegion,
} from './backup-location.js';

describe('backupLocation', () => {
  it('puts the backups in the predefined dual-region of the stack and DR regions, with turbo replication', () => {
    expect(backupLocation({ region: 'us-central1', disasterRecoveryRegion: 'us-east1' })).toEqual({
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
    });
    // Either way round.
    expect(backupLocation({ region: 'us-east1', disasterRecoveryRegion: 'us-central1' })).toEqual({
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
    });
    expect(
      backupLocation({ region: 'europe-west4', disasterRecoveryRegion: 'europe-north1' }),
    ).toEqual({ location: 'EUR4', rpo: 'ASYNC_TURBO' });
  });

  it("falls back to the multi-region of the stack's continent, without a DR region or with a pair no dual-region makes", () => {
    expect(backupLocation({ region: 'us-central1' })).toEqual({ location: 'US' });
    expect(backupLocation({ region: 'us-west1', disasterRecoveryRegion: 'us-east4' })).toEqual({
      location: 'US',
    });
    expect(backupLocation({ region: 'europe-west1' })).toEqual({ location: 'EU' });
    expect(backupLocation({ region: 'asia-southeast1' })).toEqual({ location: 'ASIA' });
  });

  it('refuses to guess for a region no multi-region holds, saying what to set', () => {
    expect(() => backupLocation({ region: 'australia-southeast1' })).toThrow(
      "no multi-region holds australia-southeast1: set aia-platform:backups.location to a dual-region or multi-region outside the stack's region, so the backups survive losing it",
    );
  });

  it('takes a configured location as given, turbo replication on dual-regions only', () => {
    expect(backupLocation({ region: 'us-central1', location: 'us' })).toEqual({ location: 'US' });
    expect(backupLocation({ region: 'us-central1', location: 'nam4' })).toEqual({
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
    });
    expect(
      backupLocation({
        region: 'us-central1',
        location: 'US',
        dataLocations: ['us-central1', 'us-west1'],
      }),
    ).toEqual({ location: 'US', dataLocations: ['US-CENTRAL1', 'US-WEST1'], rpo: 'ASYNC_TURBO' });
    // A single region is an explicit choice; policy gcp-storage-outside-region flags it.
    expect(backupLocation({ region: 'us-central1', location: 'us-central1' })).toEqual({
      location: 'US-CENTRAL1',
    });
  });
});

describe('backup bucket arguments', () => {
  it('sets the location, and the placement and replication where there are any', () => {
    expect(backupBucketLocation({ location: 'US' })).toEqual({ location: 'US' });
    expect(backupBucketLocation({ location: 'NAM4', rpo: 'ASYNC_TURBO' })).toEqual({
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
    });
    expect(
      backupBucketLocation({
        location: 'US',
        dataLocations: ['US-CENTRAL1', 'US-WEST1'],
        rpo: 'ASYNC_TURBO',
      }),
    ).toEqual({
      location: 'US',
      customPlacementConfig: { dataLocations: ['US-CENTRAL1', 'US-WEST1'] },
      rpo: 'ASYNC_TURBO',
    });
  });

  it('names a bucket after its location, so a new location is a new name', () => {
    expect(backupLocationSuffix({ location: 'NAM4' })).toBe('nam4');
    expect(
      backupLocationSuffix({ location: 'US', dataLocations: ['US-CENTRAL1', 'US-WEST1'] }),
    ).toBe('us-central1-us-west1');
  });

  it('tells one region from dual- and multi-regions', () => {
    expect(['us-central1', 'US-EAST1'].map(isSingleRegion)).toEqual([true, true]);
    expect(['US', 'NAM4', 'EU', 'ASIA1'].map(isSingleRegion)).toEqual([false, false, false, false]);
  });
});
