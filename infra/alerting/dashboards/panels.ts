/** Every panel and query reads Prometheus through the `datasource` template variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a JavaScript one
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface Target {
  readonly refId: string;
  readonly datasource: typeof DATASOURCE;
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
  readonly format: 'time_series' | 'table';
}

export interface ThresholdStep {
  readonly color: string;
  /** `null` on the base step, as Grafana writes it. */
  readonly value: number | null;
}

/** A threshold drawn on a panel; `value` undefined means the line is left out. */
export interface ThresholdLine {
  readonly value: number | undefined;
  readonly color: string;
}

export interface Panel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'table';
  readonly title: string;
  readonly description: string;
  readonly gridPos: {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  };
  readonly datasource: typeof DATASOURCE;
  readonly targets: readonly Target[];
  readonly fieldConfig: {
    readonly defaults: Record<string, unknown> & {
      readonly thresholds: { readonly mode: 'absolute'; readonly steps: readonly ThresholdStep[] };
    };
    readonly overrides: readonly unknown[];
  };
  readonly options: Record<string, unknown>;
  readonly transformations?: readonly unknown[];
}

/** A panel before layout: its width and height in grid units, without id and position. */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & { readonly w: number; readonly h: number };

/** Grafana threshold steps in ascending order above a `base` colour; undefined lines are skipped. */
export function thresholdSteps(base: string, lines: readonly ThresholdLine[]): ThresholdStep[] {
  const drawn = lines.filter(
    (line): line is { value: number; color: string } => line.value !== undefined,
  );
  return [
    { color: base, value: null },
    ...drawn.sort((a, b) => a.value - b.value).map(({ color, value }) => ({ color, value })),
  ];
}

/** A range query (time series) or an instant query (tables and stats). */
export function target(
  refId: string,
  expr: string,
  legendFormat: string,
  { instant = false, table = false } = {},
): Target {
  return {
    refId,
    datasource: DATASOURCE,
    expr,
    legendFormat,
    range: !instant,
    instant,
    format: table ? 'table' : 'time_series',
  };
}

interface TimeseriesArgs {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Drawn as lines on the panel; default none. */
  readonly thresholds?: readonly ThresholdLine[];
  readonly w?: number;
  readonly h?: number;
}

/** A time series panel whose thresholds, if any, are drawn as lines. */
export function timeseries({
  title,
  description,
  unit,
  targets,
  thresholds = [],
  w = 12,
  h = 8,
}: TimeseriesArgs): PanelSpec {
  const steps = thresholdSteps('green', thresholds);
  return {
    type: 'timeseries',
    title,
    description,
    datasource: DATASOURCE,
    targets,
    fieldConfig: {
      defaults: {
        unit,
        min: 0,
        color: { mode: 'palette-classic' },
        thresholds: { mode: 'absolute', steps },
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: 10,
          showPoints: 'never',
          spanNulls: false,
          thresholdsStyle: { mode: steps.length > 1 ? 'line' : 'off' },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    w,
    h,
  };
}
