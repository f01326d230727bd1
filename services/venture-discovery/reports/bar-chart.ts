import { escapeHtml } from './html-escape.js';

/** One bar: a label, its value, and the text written beside it. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly note: string;
}

/** Layout of the chart, in SVG user units. */
const LAYOUT = { width: 640, labelWidth: 190, noteWidth: 170, rowHeight: 28, barHeight: 18 };
const COLOURS = { positive: '#2f6fb3', negative: '#b3402f', axis: '#555555', text: '#1a1a1a' };

const fixed = (n: number) => n.toFixed(1);

/**
 * A horizontal bar chart as inline SVG: no script, no external file, no `style` attribute (only
 * presentation attributes, which a strict Content-Security-Policy allows), so the page needs
 * nothing beyond itself. Bars share one scale (the largest magnitude); negative values are drawn
 * in another colour from the same axis. `title` is the chart's accessible name.
 */
export function barChartSvg(title: string, bars: readonly Bar[]): string {
  const { width, labelWidth, noteWidth, rowHeight, barHeight } = LAYOUT;
  const plotWidth = width - labelWidth - noteWidth;
  const largest = Math.max(...bars.map((bar) => Math.abs(bar.value)), Number.MIN_VALUE);
  const height = rowHeight * bars.length + 8;
  const rows = bars.map((bar, index) => {
    const y = index * rowHeight + 4;
    const length = (Math.abs(bar.value) / largest) * plotWidth;
    const colour = bar.value < 0 ? COLOURS.negative : COLOURS.positive;
    const middle = y + barHeight / 2 + 4;
    return [
      `<text x="${labelWidth - 8}" y="${fixed(middle)}" text-anchor="end" fill="${COLOURS.text}">${escapeHtml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${fixed(length)}" height="${barHeight}" fill="${colour}"><title>${escapeHtml(`${bar.label}: ${bar.note}`)}</title></rect>`,
      `<text x="${fixed(labelWidth + length + 6)}" y="${fixed(middle)}" fill="${COLOURS.text}">${escapeHtml(bar.note)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escapeHtml(title)}</title>`,
    `<line x1="${labelWidth}" y1="0" x2="${labelWidth}" y2="${height}" stroke="${COLOURS.axis}"/>`,
    ...rows,
    '</svg>',
  ].join('\n');
}
