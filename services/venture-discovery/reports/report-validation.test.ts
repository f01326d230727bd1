import type { NodeObject } from 'jsonld';
import { describe, expect, it } from 'vitest';
import {
  REPORT_CONTEXT,
  REPORT_CONTEXT_URL,
  SCHEMA_ORG,
  VENTURES_VOCABULARY,
} from './report-context.js';
import { opportunityReportDocument, runReportDocument } from './report-document.js';
import {
  expandReport,
  InvalidReportError,
  reportDocumentLoader,
  validateReport,
} from './report-validation.js';
import {
  OPPORTUNITY_IDS,
  RUN_ID,
  sampleOpportunity,
  sampleRun,
} from './testing/report-fixtures.js';

const schema = (term: string) => `${SCHEMA_ORG}${term}`;
const aia = (term: string) => `${VENTURES_VOCABULARY}${term}`;
const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';
const values = (node: NodeObject | undefined, iri: string) => (node?.[iri] ?? []) as NodeObject[];
const first = (node: NodeObject | undefined, iri: string) => values(node, iri)[0];
const issuesOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidReportError);
  return (error as InvalidReportError).issues;
};

describe('an opportunity report', () => {
  const document = opportunityReportDocument(sampleOpportunity(), 1);

  it('expands offline to one schema:Report about an Opportunity with its score breakdown', async () => {
    const [report, ...others] = await expandReport(document);
    expect(others).toEqual([]);
    expect(report?.['@type']).toEqual([schema('Report')]);
    expect(report?.['@id']).toBe(`urn:aia:ventures:report:opportunity:${OPPORTUNITY_IDS[0]}`);
    const opportunity = first(report, schema('about'));
    expect(opportunity?.['@type']).toEqual([aia('Opportunity')]);
    expect(first(opportunity, aia('score'))).toEqual({ '@value': 0.62, '@type': XSD_DOUBLE });
    const components = values(opportunity, aia('scoreComponent'));
    expect(components.map((c) => c['@type'])).toEqual(
      Array(3).fill([schema('PropertyValue'), aia('ScoreComponent')]),
    );
    expect(components.map((c) => first(c, schema('name'))?.['@value'])).toEqual([
      'signal_strength',
      'growth',
      'novelty',
    ]);
    expect(first(components[0], aia('contribution'))).toEqual({
      '@value': 0.4,
      '@type': XSD_DOUBLE,
    });
    expect(first(opportunity, aia('run'))).toEqual({ '@id': `urn:aia:ventures:run:${RUN_ID}` });
  });

  it('cites its evidence as web pages (or creative works without a link) of their source datasets', async () => {
    const [report] = await expandReport(document);
    const [linked, unlinked] = values(report, schema('citation'));
    expect(linked?.['@type']).toEqual([schema('WebPage')]);
    expect(first(linked, schema('url'))).toEqual({
      '@id': 'https://example.org/clinics-invoicing',
    });
    expect(first(first(linked, schema('isPartOf')), schema('name'))?.['@value']).toBe(
      'Sample market feed',
    );
    expect(unlinked?.['@type']).toEqual([schema('CreativeWork')]);
    expect(values(unlinked, schema('url'))).toEqual([]);
  });

  it('names organisations as schema:Organization and other entities as schema:Thing', async () => {
    const [report] = await expandReport(document);
    const mentions = values(first(report, schema('about')), schema('mentions'));
    expect(mentions.map((m) => m['@type'])).toEqual([[schema('Organization')], [schema('Thing')]]);
  });

  it('does not link evidence whose URL is not http(s)', async () => {
    const opportunity = sampleOpportunity({
      evidence: [{ id: 's', title: 'Trap', url: 'javascript:alert(1)', source: 'Feed' }],
    });
    const built = opportunityReportDocument(opportunity, 1);
    expect(built.citation[0]).not.toHaveProperty('url');
    expect(built.citation[0]?.['@type']).toBe('CreativeWork');
    await expect(validateReport('opportunity', built)).resolves.toBeDefined();
  });

  it('leaves out an empty summary or explanation instead of failing the report', async () => {
    const opportunity = sampleOpportunity({
      summary: '',
      components: [
        { name: 'signal_strength', value: 0.62, weight: 1, contribution: 0.62, explanation: '' },
      ],
    });
    const built = opportunityReportDocument(opportunity, 1);
    expect(built).not.toHaveProperty('abstract');
    expect(built.about.scoreComponent[0]).not.toHaveProperty('description');
    await expect(validateReport('opportunity', built)).resolves.toBeDefined();
  });

  it('is the same document for the same input (no clock, no random id)', () => {
    expect(JSON.stringify(opportunityReportDocument(sampleOpportunity(), 3))).toBe(
      JSON.stringify(opportunityReportDocument(sampleOpportunity(), 3)),
    );
  });
});

describe('a run report', () => {
  it('expands to a Report about a DiscoveryRun, its sources as Datasets with their failures', async () => {
    const [report] = await expandReport(runReportDocument(sampleRun(), 2));
    expect(first(report, schema('version'))?.['@value']).toBe(2);
    const run = first(report, schema('about'));
    expect(run?.['@type']).toEqual([aia('DiscoveryRun')]);
    const [healthy, broken] = values(run, schema('isBasedOn'));
    expect(healthy?.['@type']).toEqual([schema('Dataset')]);
    expect(values(healthy, aia('failure'))).toEqual([]);
    const [failure] = values(broken, aia('failure'));
    expect(first(failure, schema('identifier'))?.['@value']).toBe('invalid_csv');
    expect(
      values(run, aia('scoringWeight')).map((w) => first(w, schema('name'))?.['@value']),
    ).toEqual([
      'capability_fit',
      'competition_density',
      'confidence',
      'growth',
      'novelty',
      'signal_strength',
    ]);
    expect(values(report, schema('hasPart'))).toEqual(
      OPPORTUNITY_IDS.map((id) => ({ '@id': `urn:aia:ventures:report:opportunity:${id}` })),
    );
  });
});

describe('validateReport', () => {
  it('accepts both kinds as built', async () => {
    await expect(validateReport('run', runReportDocument(sampleRun(), 1))).resolves.toMatchObject({
      identifier: `run-${RUN_ID}`,
    });
    await expect(
      validateReport('opportunity', opportunityReportDocument(sampleOpportunity(), 1)),
    ).resolves.toMatchObject({ identifier: `opportunity-${OPPORTUNITY_IDS[0]}` });
  });

  it('refuses a report whose breakdown does not add up to its score, naming the field', async () => {
    const document = opportunityReportDocument(sampleOpportunity({ score: 0.9 }), 1);
    expect(await issuesOf(validateReport('opportunity', document))).toEqual([
      {
        field: 'about.score',
        reason: expect.stringContaining("sum of the components' contributions"),
      },
    ]);
  });

  it('refuses a report without score components, a bad date and an unknown term, listing each', async () => {
    const document = {
      ...opportunityReportDocument(sampleOpportunity({ components: [], score: 0 }), 1),
      dateCreated: 'yesterday',
      mood: 'optimistic',
    };
    const fields = (await issuesOf(validateReport('opportunity', document))).map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['(report)', 'dateCreated', 'about.scoreComponent']),
    );
  });

  it('refuses a report of the wrong kind', async () => {
    const issues = await issuesOf(
      validateReport('run', opportunityReportDocument(sampleOpportunity(), 1)),
    );
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['hasPart']));
  });

  it('refuses, through JSON-LD safe mode, a term the context does not define', async () => {
    await expect(
      expandReport({ ...runReportDocument(sampleRun(), 1), mood: 'optimistic' }),
    ).rejects.toThrow(/safe mode/i);
  });
});

describe('the document loader', () => {
  it('serves the published context from memory and refuses every other URL', async () => {
    await expect(reportDocumentLoader(REPORT_CONTEXT_URL)).resolves.toMatchObject({
      document: { '@context': REPORT_CONTEXT },
    });
    await expect(reportDocumentLoader('https://schema.org/')).rejects.toThrow(/refused to load/);
    await expect(
      expandReport({
        ...runReportDocument(sampleRun(), 1),
        '@context': 'http://169.254.169.254/latest',
      }),
    ).rejects.toThrow();
  });
});
