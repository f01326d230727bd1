import { describe, expect, it } from 'vitest';
import { backupsProblems, backupsSchema } from './config-schema.js';

const stack = (
  backups: Record<string, unknown>,
  { region = 'us-central1', drRegion, kmsKeyName }: Record<string, string | undefined> = {},
) => ({
  region,
  cloudSql: drRegion ? { disasterRecovery: { region: drRegion } } : {},
  objectStorage: kmsKeyName ? { kmsKeyName } : {},
  backups: backupsSchema.parse(backups),
});
const messages = (config: ReturnType<typeof stack>) =>
  backupsProblems(config).map(({ path, message }) => `${path.join('.')}: ${message}`);

const REGIONAL_KEY = 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k';
const US_KEY = 'projects/p/locations/us/keyRings/r/cryptoKeys/k';

describe('aia-platform:backups', () => {
  it('needs nothing set where a dual-region or multi-region can be derived', () => {
    expect(messages(stack({}, { drRegion: 'us-east1' }))).toEqual([]);
    expect(messages(stack({}))).toEqual([]);
    expect(messages(stack({ location: 'EU' }, { region: 'europe-west1' }))).toEqual([]);
  });

  it('asks for a location where no multi-region holds the stack region', () => {
    expect(messages(stack({}, { region: 'australia-southeast1' }))).toEqual([
      "backups.location: no multi-region holds australia-southeast1: set aia-platform:backups.location to a dual-region or multi-region outside the stack's region, so the backups survive losing it",
    ]);
    expect(messages(stack({ location: 'AU' }, { region: 'australia-southeast1' }))).toEqual([]);
  });

  it('refuses the two regions of a configurable dual-region without their multi-region', () => {
    expect(messages(stack({ dataLocations: ['us-central1', 'us-west1'] }))).toEqual([
      'backups.dataLocations: needs backups.location, the multi-region holding both regions (US, EU or ASIA)',
    ]);
    expect(messages(stack({ location: 'US', dataLocations: ['us-central1', 'us-west1'] }))).toEqual(
      [],
    );
  });

  it("refuses to encrypt the backups with the object storage's regional key, which cannot", () => {
    expect(messages(stack({}, { drRegion: 'us-east1', kmsKeyName: REGIONAL_KEY }))).toEqual([
      'backups.kmsKeyName: required with objectStorage.kmsKeyName, whose regional key cannot encrypt the backup buckets in NAM4: set a key in the multi-region that holds them (us for NAM4 or US)',
    ]);
    expect(
      messages(stack({ kmsKeyName: US_KEY }, { drRegion: 'us-east1', kmsKeyName: REGIONAL_KEY })),
    ).toEqual([]);
  });

  it('refuses malformed values', () => {
    expect(backupsSchema.safeParse({ location: 'us central' }).success).toBe(false);
    expect(backupsSchema.safeParse({ dataLocations: ['us-central1'] }).success).toBe(false);
    expect(backupsSchema.safeParse({ kmsKeyName: 'my-key' }).success).toBe(false);
    expect(backupsSchema.safeParse({ bucket: 'x' }).success).toBe(false);
  });

  it('keeps configuration backups 90 days unless told, and refuses a retention that is no whole number of days', () => {
    expect(backupsSchema.parse({}).configRetentionDays).toBe(90);
    expect(backupsSchema.parse({ configRetentionDays: 365 }).configRetentionDays).toBe(365);
    for (const configRetentionDays of [0, 1.5, 4000, '90']) {
      const result = backupsSchema.safeParse({ configRetentionDays });
      expect(
        result.error?.issues.map(({ path, message }) => `${path.join('.')}: ${message}`),
      ).toEqual(['configRetentionDays: expected a whole number of days from 1 to 3650']);
    }
  });
});
