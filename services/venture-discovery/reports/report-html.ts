import { createHash } from 'node:crypto';
import { type Bar, barChartSvg } from './bar-chart.js';
import { escapeHtml as h, jsonForScriptBlock } from './html-escape.js';
import type { OpportunityReport, ReportDocument, RunReport } from './report-shape.js';

/**
 * The page a person reads for a report: rendered from the validated JSON-LD document (so the
 * page says exactly what the report says), self-contained (one inline style allowed by its hash,
 * an inline SVG chart, no script), with the document itself embedded as a JSON-LD data block.
 */

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}',
  'table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}',
  'td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}',
  '.meta{color:#555}.score{font-size:2rem;font-weight:600}.failed{color:#b3402f}',
].join('');

const styleHash = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * The Content-Security-Policy the pages are served with: nothing may load or run, the one inline
 * style is allowed by its hash. The JSON-LD data block is not a script a browser runs.
 */
export const REPORT_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${styleHash}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const number = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));
/** A link to an outside page: it learns nothing about where it was linked from. */
const link = (url: string, text: string) =>
  `<a href="${h(url)}" rel="noopener noreferrer nofollow">${h(text)}</a>`;

function page(document: ReportDocument, kindLabel: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(document.name)} — ${h(kindLabel)} report v${document.version}</title>
<style>${STYLE}</style>
<script type="application/ld+json">${jsonForScriptBlock(document)}</script>
</head>
<body>
<header>
<p class="meta">${h(kindLabel)} report <code>${h(document.identifier)}</code>, version ${document.version}, ${h(document.dateCreated)}, published by ${h(document.publisher.name)}</p>
<h1>${h(document.name)}</h1>
</header>
${body}
</body>
</html>
`;
}

function opportunityBody(report: OpportunityReport): string {
  const { about: opportunity, citation } = report;
  const bars: Bar[] = opportunity.scoreComponent.map((component) => ({
    label: component.name,
    value: component.contribution,
    note: `${number(component.value)} × ${number(component.weight)} = ${number(component.contribution)}`,
  }));
  const components = opportunity.scoreComponent
    .map(
      (c) =>
        `<tr><td>${h(c.name)}</td><td class="n">${number(c.value)}</td><td class="n">${number(c.weight)}</td><td class="n">${number(c.contribution)}</td><td>${h(c.description ?? '')}</td></tr>`,
    )
    .join('\n');
  const evidence = citation
    .map((signal) => {
      const title = signal.url === undefined ? h(signal.name) : link(signal.url, signal.name);
      const date = signal.datePublished === undefined ? '' : `, ${h(signal.datePublished)}`;
      return `<li>${title} <span class="meta">(${h(signal.isPartOf.name)}${date})</span></li>`;
    })
    .join('\n');
  const entities = opportunity.mentions
    .map(
      (entity) => `<li>${h(entity.name)} <span class="meta">(${h(entity.entityKind)})</span></li>`,
    )
    .join('\n');
  return `<p class="score">Score ${number(opportunity.score)}</p>
${report.abstract === undefined ? '' : `<p>${h(report.abstract)}</p>`}
<p>Themes: ${opportunity.keywords.map(h).join(', ') || 'none'}</p>
<h2>Score breakdown</h2>
<figure>
${barChartSvg(`Contribution of each component to the score of ${opportunity.name}`, bars)}
<figcaption>Each bar is a component's contribution: its value times its weight. They add up to the score.</figcaption>
</figure>
<table>
<thead><tr><th>component</th><th class="n">value</th><th class="n">weight</th><th class="n">contribution</th><th>why</th></tr></thead>
<tbody>
${components}
</tbody>
</table>
<h2>Evidence (${citation.length} signals)</h2>
<ul>
${evidence}
</ul>
<h2>Entities</h2>
<ul>
${entities}
</ul>
${assistanceSection(opportunity.assistance)}
<p class="meta">From discovery run <code>${h(opportunity.run)}</code>.</p>`;
}

/** What a model added, labelled with the model; nothing when no model was asked. */
function assistanceSection(parts: OpportunityReport['about']['assistance']): string {
  if (parts === undefined || parts.length === 0) return '';
  const items = parts
    .map((part) => {
      const content =
        part.name === 'summary'
          ? h(part.description ?? '')
          : [
              ...(part.mentions ?? []).map((e) => `${h(e.name)} (${h(e.entityKind)})`),
              ...(part.keywords ?? []).map((k) => `theme ${h(k)}`),
            ].join(', ');
      return `<li><strong>${h(part.name)}</strong> by <code>${h(part.model)}</code>: ${content}</li>`;
    })
    .join('\n');
  return `<h2>From a language model</h2>
<p class="meta">Written by the model named, not by the deterministic pipeline; the score does not use it.</p>
<ul>
${items}
</ul>`;
}

function runBody(report: RunReport): string {
  const run = report.about;
  const counts = run.additionalProperty.map((p) => `${h(p.name)}: ${number(p.value)}`).join(', ');
  const sources = run.isBasedOn
    .map((source) => {
      const name = source.url === undefined ? h(source.name) : link(source.url, source.name);
      const figures = source.additionalProperty
        .map((p) => `<td class="n">${number(p.value)}</td>`)
        .join('');
      const failures = source.failure
        .map((f) => `<span class="failed">${h(f.identifier)}</span>: ${h(f.description)}`)
        .join('<br>');
      return `<tr><td>${name}</td><td>${h(source.sourceKind)}</td>${figures}<td>${failures || 'none'}</td></tr>`;
    })
    .join('\n');
  const weights: Bar[] = run.scoringWeight.map((w) => ({
    label: w.name,
    value: w.value,
    note: number(w.value),
  }));
  const opportunities = report.hasPart.map((iri) => `<li><code>${h(iri)}</code></li>`).join('\n');
  return `<p>Status <strong>${h(run.status)}</strong>, from ${h(run.startTime)} to ${h(run.endTime)}. ${counts}.</p>
<h2>Sources</h2>
<table>
<thead><tr><th>source</th><th>kind</th><th class="n">fetched</th><th class="n">accepted</th><th>failures</th></tr></thead>
<tbody>
${sources}
</tbody>
</table>
<h2>Scoring weights</h2>
<figure>
${barChartSvg('Weight of each score component in this run', weights)}
</figure>
<h2>Opportunity reports (${report.hasPart.length})</h2>
<ul>
${opportunities}
</ul>`;
}

/** The HTML page of a validated report. */
export function renderReportHtml(document: ReportDocument): string {
  return 'hasPart' in document
    ? page(document, 'Discovery run', runBody(document))
    : page(document, 'Opportunity', opportunityBody(document));
}
