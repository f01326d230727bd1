import { z } from 'zod';
import { REPORT_CONTEXT_URL } from './report-context.js';

/**
 * The shape every stored report has, checked before it is stored (beside the JSON-LD expansion,
 * which checks meaning, not completeness): the terms, types and required properties of a run
 * report and of an opportunity report, nothing else. Strict objects, so a misspelt term is
 * refused here rather than silently dropped by a JSON-LD processor.
 */

const iri = z
  .string()
  .regex(/^(urn:aia:ventures:|https?:\/\/)\S+$/, 'must be an IRI the reports use');
const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const text = z.string().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters');
const count = z.int().min(0, 'must be a count (0 or more)');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const propertyValue = z.strictObject({
  '@type': z.literal('PropertyValue'),
  name: text,
  value: finite,
});

/** A count (signals fetched, clusters formed, ...) as a PropertyValue. */
const countValue = propertyValue.extend({ value: count });

const organization = z.strictObject({ '@type': z.literal('Organization'), name: text });

const sourceFailure = z.strictObject({
  '@type': z.literal('SourceFailure'),
  identifier: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case code'),
  description: text,
  dateCreated: dateTime.optional(),
});

const sourceDataset = z.strictObject({
  '@id': iri,
  '@type': z.literal('Dataset'),
  name: text,
  sourceKind: text,
  url: webUrl.optional(),
  additionalProperty: z.array(countValue),
  failure: z.array(sourceFailure),
});

const discoveryRun = z.strictObject({
  '@id': iri,
  '@type': z.literal('DiscoveryRun'),
  identifier: text,
  status: text,
  startTime: dateTime,
  endTime: dateTime,
  isBasedOn: z.array(sourceDataset),
  additionalProperty: z.array(countValue),
  scoringWeight: z.array(propertyValue),
});

const reportHeader = {
  '@context': z.literal(REPORT_CONTEXT_URL),
  '@id': iri,
  '@type': z.literal('Report'),
  identifier: text,
  name: text,
  version: z.int().min(1, 'must be 1 or more'),
  dateCreated: dateTime,
  publisher: organization,
};

/** A discovery run's report: what was fetched from where, what failed, what it found. */
export const RunReportShape = z.strictObject({
  ...reportHeader,
  about: discoveryRun,
  hasPart: z.array(iri),
});

const scoreComponent = z.strictObject({
  '@type': z.tuple([z.literal('PropertyValue'), z.literal('ScoreComponent')]),
  name: text,
  value: finite,
  weight: finite,
  contribution: finite,
  description: text.optional(),
});

const entity = z.strictObject({
  '@type': z.enum(['Organization', 'Thing']),
  name: text,
  entityKind: text,
});

const evidence = z.strictObject({
  '@id': iri,
  '@type': z.enum(['WebPage', 'CreativeWork']),
  name: text,
  url: webUrl.optional(),
  datePublished: dateTime.optional(),
  isPartOf: z.strictObject({ '@type': z.literal('Dataset'), name: text }),
});

/** A part of an opportunity a language model wrote, naming the model (`provider:model`). */
const modelAssistance = z.strictObject({
  '@type': z.literal('ModelAssistance'),
  name: z.enum(['summary', 'entities'], { error: 'must be summary or entities' }),
  model: text,
  description: text.optional(),
  mentions: z.array(entity).optional(),
  keywords: z.array(text).optional(),
});

const opportunity = z.strictObject({
  '@id': iri,
  '@type': z.literal('Opportunity'),
  identifier: text,
  name: text,
  description: text.optional(),
  keywords: z.array(text),
  mentions: z.array(entity),
  score: finite,
  scoreComponent: z.array(scoreComponent).min(1, 'must list the components of the score'),
  run: iri,
  assistance: z.array(modelAssistance).optional(),
});

/** How far the score may be from the sum of the contributions (rounding in the scorer). */
export const SCORE_TOLERANCE = 1e-6;

/** The score is explained only if the breakdown adds up to it. */
const explainedOpportunity = opportunity.superRefine((value, ctx) => {
  const total = value.scoreComponent.reduce((sum, component) => sum + component.contribution, 0);
  if (Math.abs(total - value.score) > SCORE_TOLERANCE)
    ctx.addIssue({
      code: 'custom',
      path: ['score'],
      message: `must equal the sum of the components' contributions (${total})`,
    });
});

/** An opportunity's report: its score, the breakdown, and the signals behind it. */
export const OpportunityReportShape = z.strictObject({
  ...reportHeader,
  abstract: text.optional(),
  about: explainedOpportunity,
  citation: z.array(evidence),
});

export type RunReport = z.infer<typeof RunReportShape>;
export type OpportunityReport = z.infer<typeof OpportunityReportShape>;
export type ReportDocument = RunReport | OpportunityReport;

/** The shape of each kind's report. */
export const REPORT_SHAPES = { run: RunReportShape, opportunity: OpportunityReportShape } as const;
