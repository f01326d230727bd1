import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { barChartSvg } from './bar-chart.js';
import { opportunityReportDocument, runReportDocument } from './report-document.js';
import { REPORT_PAGE_CSP, renderReportHtml } from './report-html.js';
import { sampleOpportunity, sampleRun } from './testing/report-fixtures.js';

const hostile = sampleOpportunity({
  title: 'Clinics <b>bold</b> & "quoted"',
  themes: ['<img src=x onerror=alert(1)>'],
  evidence: [
    {
      id: 'evil',
      title: '<script>alert("pwned")</script>',
      url: 'https://example.org/a?b=1&c="2"',
      source: "O'Reilly </script><script>alert(2)</script>",
    },
  ],
});

describe('the HTML page of an opportunity report', () => {
  const html = renderReportHtml(opportunityReportDocument(hostile, 1));

  it('escapes a signal title holding a script, so it is text and never an element', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Clinics &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
  });

  it('has no script but the JSON-LD data block, which no value can close', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="application/ld+json">']);
    const block = html.slice(html.indexOf('<script type="application/ld+json">'));
    const body = block.slice(block.indexOf('>') + 1, block.indexOf('</script>'));
    expect(JSON.parse(body)).toEqual(opportunityReportDocument(hostile, 1));
  });

  it('links evidence with its URL escaped in the attribute and no referrer', () => {
    expect(html).toContain(
      '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" rel="noopener noreferrer nofollow">',
    );
  });

  it('draws the score breakdown as an inline SVG bar per component, lengths in proportion', () => {
    const widths = [...html.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    // Contributions 0.4, 0.15 and 0.07 on one scale: the largest is the full plot width.
    expect(widths).toHaveLength(3);
    expect((widths[1] as number) / (widths[0] as number)).toBeCloseTo(0.15 / 0.4, 2);
    expect((widths[2] as number) / (widths[0] as number)).toBeCloseTo(0.07 / 0.4, 2);
    expect(html).toContain('0.800 × 0.500 = 0.400');
  });
});

describe('the HTML page of a run report', () => {
  const html = renderReportHtml(runReportDocument(sampleRun(), 1));

  it('shows each source with its counts and failures, and the weights as a chart', () => {
    expect(html).toContain('Sample market feed');
    expect(html).toMatch(/<td class="n">42<\/td><td class="n">37<\/td><td>none<\/td>/);
    expect(html).toContain(
      '<span class="failed">invalid_csv</span>: row 3 has 5 fields, expected 4',
    );
    expect([...html.matchAll(/<rect /g)]).toHaveLength(6);
  });
});

describe('barChartSvg', () => {
  it('draws a negative value from the same axis in another colour', () => {
    const svg = barChartSvg('t', [
      { label: 'up', value: 0.5, note: '+' },
      { label: 'down', value: -0.25, note: '-' },
    ]);
    const bars = [...svg.matchAll(/width="([\d.]+)" height="\d+" fill="(#\w+)"/g)];
    expect(bars.map((b) => Number(b[1]))).toEqual([280, 140]);
    expect(bars[0]?.[2]).not.toBe(bars[1]?.[2]);
  });
});

describe('REPORT_PAGE_CSP', () => {
  it('lets nothing load or run, and allows the one inline style by its hash only', () => {
    expect(REPORT_PAGE_CSP).toContain("default-src 'none'");
    expect(REPORT_PAGE_CSP).not.toContain('unsafe-inline');
    expect(REPORT_PAGE_CSP).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(REPORT_PAGE_CSP).not.toMatch(/script-src/);
  });

  it("allows exactly the page's inline style", () => {
    const html = renderReportHtml(runReportDocument(sampleRun(), 1));
    const css = /<style>(.*?)<\/style>/s.exec(html)?.[1] ?? '';
    expect(css.length).toBeGreaterThan(0);
    const hash = createHash('sha256').update(css).digest('base64');
    expect(REPORT_PAGE_CSP).toContain(`'sha256-${hash}'`);
  });
});
