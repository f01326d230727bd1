import { redactUrl } from '../domain/redact-url.js';
import { REPORT_CONTEXT_URL } from './report-context.js';
import { opportunityIri, reportId, reportIri, runIri, signalIri, sourceIri } from './report-ids.js';
import type {
  EntityInput,
  EvidenceSignalInput,
  OpportunityInput,
  RunSourceInput,
  RunSummaryInput,
  ScoreComponentInput,
} from './report-input.js';
import type { OpportunityReport, RunReport } from './report-shape.js';

/**
 * Builds the JSON-LD documents of the reports from the pipeline's input: pure, and a function of
 * the input and the version number alone (no clock, no random id), so the same input gives the
 * same bytes and an unchanged report is recognised by its hash.
 */

/** Who publishes the reports. */
export const PUBLISHER: RunReport['publisher'] = { '@type': 'Organization', name: 'AIA Platform' };

type PropertyValue = RunReport['about']['additionalProperty'][number];
type SourceDataset = RunReport['about']['isBasedOn'][number];
type Opportunity = OpportunityReport['about'];
type ScoreComponent = Opportunity['scoreComponent'][number];
type Entity = Opportunity['mentions'][number];
type Evidence = OpportunityReport['citation'][number];

const property = (name: string, value: number): PropertyValue => ({
  '@type': 'PropertyValue',
  name,
  value,
});

/** Only web links are linked: anything else (javascript:, data:, file:) is left out. */
const webUrl = (url: string | undefined): string | undefined => {
  if (url === undefined) return undefined;
  try {
    const { protocol } = new URL(url);
    // Reports are immutable and widely read: a credential in the URL never reaches one.
    return protocol === 'http:' || protocol === 'https:' ? redactUrl(url) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * `{ key: value }` when there is a value, `{}` otherwise: an optional term left out, never null
 * or an empty string (which would say "present but nothing", and the shape check refuses).
 */
const optional = <K extends string, V>(key: K, value: V | undefined | null) =>
  (value === undefined || value === null || value === '' ? {} : { [key]: value }) as Partial<
    Record<K, V>
  >;

function sourceDataset(source: RunSourceInput): SourceDataset {
  return {
    '@id': sourceIri(source.id),
    '@type': 'Dataset',
    name: source.name,
    sourceKind: source.kind,
    ...optional('url', webUrl(source.url)),
    additionalProperty: [
      property('fetched', source.fetched),
      property('accepted', source.accepted),
    ],
    failure: source.failures.map((failure) => ({
      '@type': 'SourceFailure',
      identifier: failure.code,
      description: failure.message,
      ...optional('dateCreated', failure.at),
    })),
  };
}

/** The report of a discovery run, as version `version`. */
export function runReportDocument(run: RunSummaryInput, version: number): RunReport {
  const ref = { kind: 'run', subject: run.id } as const;
  return {
    '@context': REPORT_CONTEXT_URL,
    '@id': reportIri(ref),
    '@type': 'Report',
    identifier: reportId(ref),
    name: `Discovery run ${run.id}`,
    version,
    dateCreated: run.finished_at,
    publisher: PUBLISHER,
    about: {
      '@id': runIri(run.id),
      '@type': 'DiscoveryRun',
      identifier: run.id,
      status: run.status,
      startTime: run.started_at,
      endTime: run.finished_at,
      isBasedOn: run.sources.map(sourceDataset),
      additionalProperty: [
        property('signals', run.counts.signals),
        property('clusters', run.counts.clusters),
        property('opportunities', run.counts.opportunities),
      ],
      scoringWeight: Object.entries(run.weights)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, weight]) => property(name, weight)),
    },
    hasPart: run.opportunity_ids.map((id) => reportIri({ kind: 'opportunity', subject: id })),
  };
}

const scoreComponent = (component: ScoreComponentInput): ScoreComponent => ({
  '@type': ['PropertyValue', 'ScoreComponent'],
  name: component.name,
  value: component.value,
  weight: component.weight,
  contribution: component.contribution,
  ...optional('description', component.explanation),
});

/** Organisations are schema:Organization; other kinds of entity schema:Thing with their kind. */
const entity = (item: EntityInput): Entity => ({
  '@type': item.kind === 'organization' ? 'Organization' : 'Thing',
  name: item.name,
  entityKind: item.kind,
});

function evidence(signal: EvidenceSignalInput): Evidence {
  const url = webUrl(signal.url);
  return {
    '@id': signalIri(signal.id),
    '@type': url === undefined ? 'CreativeWork' : 'WebPage',
    name: signal.title,
    ...optional('url', url),
    ...optional('datePublished', signal.published_at),
    isPartOf: { '@type': 'Dataset', name: signal.source },
  };
}

/** What a model added, one node per part naming its model; left out when nothing was. */
function assistanceNodes(input: OpportunityInput): Opportunity['assistance'] {
  const { summary, entities } = input.assistance ?? {};
  const nodes: NonNullable<Opportunity['assistance']> = [];
  if (summary)
    nodes.push({
      '@type': 'ModelAssistance',
      name: 'summary',
      model: summary.model,
      description: summary.text,
    });
  if (entities)
    nodes.push({
      '@type': 'ModelAssistance',
      name: 'entities',
      model: entities.model,
      mentions: entities.items.map(entity),
      keywords: [...entities.themes],
    });
  return nodes.length > 0 ? nodes : undefined;
}

/** The report of one opportunity, as version `version`. */
export function opportunityReportDocument(
  opportunity: OpportunityInput,
  version: number,
): OpportunityReport {
  const ref = { kind: 'opportunity', subject: opportunity.id } as const;
  return {
    '@context': REPORT_CONTEXT_URL,
    '@id': reportIri(ref),
    '@type': 'Report',
    identifier: reportId(ref),
    name: opportunity.title,
    version,
    dateCreated: opportunity.created_at,
    publisher: PUBLISHER,
    ...optional('abstract', opportunity.summary),
    about: {
      '@id': opportunityIri(opportunity.id),
      '@type': 'Opportunity',
      identifier: opportunity.id,
      name: opportunity.title,
      ...optional('description', opportunity.summary),
      keywords: [...opportunity.themes],
      mentions: opportunity.entities.map(entity),
      score: opportunity.score,
      scoreComponent: opportunity.components.map(scoreComponent),
      run: runIri(opportunity.run_id),
      ...optional('assistance', assistanceNodes(opportunity)),
    },
    citation: opportunity.evidence.map(evidence),
  };
}
