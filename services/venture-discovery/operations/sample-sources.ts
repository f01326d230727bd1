import { randomUUID } from 'node:crypto';
import { insertSource, type SourceSettings } from '../repository/source-store.js';
import type { DiscoveryContext } from './discovery-context.js';

const SAMPLE = {
  url: null,
  mapping: {},
  interval_seconds: 3_600,
  max_bytes: 1_048_576,
  timeout_ms: 5_000,
  min_interval_seconds: 60,
  enabled: true,
  kind: 'sample',
} as const satisfies Omit<SourceSettings, 'name'>;

/** The sample sources the local stack starts with: one per file of the samples directory. */
export const SAMPLE_SOURCES: readonly SourceSettings[] = [
  { ...SAMPLE, name: 'Sample: startup news (RSS)', url: 'startup-news.rss' },
  { ...SAMPLE, name: 'Sample: energy notes (Atom)', url: 'energy-notes.atom' },
  {
    ...SAMPLE,
    name: 'Sample: community survey (CSV)',
    url: 'community-survey.csv',
    mapping: { title: 'title', text: 'text', url: 'url' },
  },
  {
    ...SAMPLE,
    name: 'Sample: care forum (JSON)',
    url: 'care-forum.json',
    mapping: { items: 'posts', title: 'headline', text: 'body', url: 'link' },
  },
];

/**
 * Adds the sample sources not there yet (by name). One removed comes back at the next start:
 * disable it instead (`enabled: false`).
 */
export async function seedSampleSources(context: DiscoveryContext): Promise<number> {
  let added = 0;
  for (const source of SAMPLE_SOURCES)
    if (await insertSource(context.sql, randomUUID(), source)) added += 1;
  return added;
}
