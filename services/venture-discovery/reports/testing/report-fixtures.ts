import type { OpportunityInput, RunSummaryInput } from '../report-input.js';

/** A run with one healthy source and one that failed, and the two opportunities it found. */
export const RUN_ID = '0b8f3c4e-1d2a-4c5b-9e6f-7a8b9c0d1e2f';
export const OPPORTUNITY_IDS = [
  '1c9a4d5f-2e3b-4d6c-8f7a-8b9c0d1e2f3a',
  '2d0b5e6a-3f4c-4e7d-9a8b-9c0d1e2f3a4b',
] as const;

export const sampleRun = (overrides: Partial<RunSummaryInput> = {}): RunSummaryInput => ({
  id: RUN_ID,
  started_at: '2026-12-01T08:00:00.000Z',
  finished_at: '2026-12-01T08:02:30.000Z',
  status: 'partial',
  sources: [
    {
      id: 'sample-feed',
      name: 'Sample market feed',
      kind: 'rss',
      url: 'http://127.0.0.1:8002/samples/market.xml',
      fetched: 42,
      accepted: 37,
      failures: [],
    },
    {
      id: 'broken-csv',
      name: 'Broken CSV',
      kind: 'csv',
      fetched: 0,
      accepted: 0,
      failures: [
        {
          code: 'invalid_csv',
          message: 'row 3 has 5 fields, expected 4',
          at: '2026-12-01T08:00:05.000Z',
        },
      ],
    },
  ],
  weights: {
    signal_strength: 0.3,
    growth: 0.25,
    novelty: 0.2,
    competition_density: 0.1,
    capability_fit: 0.1,
    confidence: 0.05,
  },
  counts: { signals: 37, clusters: 9, opportunities: 2 },
  opportunity_ids: [...OPPORTUNITY_IDS],
  ...overrides,
});

export const sampleOpportunity = (overrides: Partial<OpportunityInput> = {}): OpportunityInput => ({
  id: OPPORTUNITY_IDS[0],
  run_id: RUN_ID,
  title: 'Invoice automation for small clinics',
  summary: 'Clinics mention manual invoicing pain in many recent posts; few tools target them.',
  themes: ['invoicing', 'healthcare', 'automation'],
  entities: [
    { name: 'Acme Health', kind: 'organization' },
    { name: 'OCR', kind: 'technology' },
  ],
  score: 0.62,
  components: [
    {
      name: 'signal_strength',
      value: 0.8,
      weight: 0.5,
      contribution: 0.4,
      explanation: '12 signals from 3 sources',
    },
    { name: 'growth', value: 0.6, weight: 0.25, contribution: 0.15 },
    { name: 'novelty', value: 0.28, weight: 0.25, contribution: 0.07 },
  ],
  evidence: [
    {
      id: 'signal-1',
      title: 'Clinics still invoice by hand',
      url: 'https://example.org/clinics-invoicing',
      published_at: '2026-11-28T10:00:00.000Z',
      source: 'Sample market feed',
    },
    { id: 'signal-2', title: 'Forum thread without a link', source: 'Sample market feed' },
  ],
  created_at: '2026-12-01T08:02:00.000Z',
  ...overrides,
});
