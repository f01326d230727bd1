import { createHash } from 'node:crypto';
import type { StackName } from '../../../services/catalog.js';
import type { Panel, PanelSpec } from './panels.js';

/** Grafana dashboard schema these generators write. */
export const SCHEMA_VERSION = 39;

/** The tag every dashboard of the platform carries; dashboards link to each other by it. */
export const PLATFORM_TAG = 'aia-platform';

const GRID_COLUMNS = 24;
const MAX_UID_LENGTH = 40;

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly panels: readonly Panel[];
  readonly [key: string]: unknown;
}

/**
 * A stable Grafana uid for `name`: its kebab-case slug, or, past Grafana's 40 characters, the
 * slug's start plus a hash of the whole name, so the same name always gives the same uid.
 */
export function dashboardUid(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (slug.length === 0) throw new Error(`Dashboard name '${name}' has no letters or digits.`);
  if (slug.length <= MAX_UID_LENGTH) return slug;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${slug.slice(0, MAX_UID_LENGTH - hash.length - 1)}-${hash}`;
}

/** Places panels left to right, wrapping at 24 columns, and numbers them from 1. */
function layout(specs: readonly PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map(({ w, h, ...panel }, index) => {
    if (x + w > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { id: index + 1, gridPos: { x, y, w, h }, ...panel };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return placed;
  });
}

const DATASOURCE_VARIABLE = {
  name: 'datasource',
  label: 'Data source',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  refresh: 1,
  regex: '',
  options: [],
  includeAll: false,
  multi: false,
  skipUrlSync: false,
};

interface DashboardArgs {
  /** Source of the uid. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly stack: StackName;
  /** Added after `aia-platform` and the stack. */
  readonly tags: readonly string[];
  readonly panels: readonly PanelSpec[];
}

/**
 * A dashboard over the last 6 hours, refreshed every 30 s, reading Prometheus through the
 * `datasource` variable, with a drop-down of the platform's other dashboards.
 */
export function dashboard({
  name,
  title,
  description,
  stack,
  tags,
  panels,
}: DashboardArgs): Dashboard {
  return {
    uid: dashboardUid(name),
    title: `${title} (${stack})`,
    description,
    tags: [PLATFORM_TAG, stack, ...tags],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: false,
    graphTooltip: 1,
    timezone: 'utc',
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [DATASOURCE_VARIABLE] },
    annotations: { list: [] },
    links: [
      {
        type: 'dashboards',
        title: 'AIA Platform',
        tags: [PLATFORM_TAG],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    panels: layout(panels),
  };
}

/** Every PromQL expression a dashboard queries. */
export function dashboardExpressions(board: Dashboard): string[] {
  return board.panels.flatMap((panel) => panel.targets.map((t) => t.expr));
}
