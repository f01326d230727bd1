import { DATASOURCE, type PanelSpec, type Target, type ThresholdStep } from './panels.js';

interface SingleValueArgs {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly steps: readonly ThresholdStep[];
  readonly decimals?: number;
  readonly w?: number;
  readonly h?: number;
}

/** A stat panel coloured by its thresholds. */
export function stat({
  title,
  description,
  unit,
  targets,
  steps,
  decimals = 2,
  w = 6,
  h = 8,
}: SingleValueArgs): PanelSpec {
  return {
    type: 'stat',
    title,
    description,
    datasource: DATASOURCE,
    targets,
    fieldConfig: {
      defaults: {
        unit,
        decimals,
        thresholds: { mode: 'absolute', steps },
        color: { mode: 'thresholds' },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'none',
      textMode: 'value_and_name',
      justifyMode: 'auto',
      orientation: 'auto',
    },
    w,
    h,
  };
}

/** A table of instant queries merged on their labels; `columns` renames `Value #<refId>`. */
export function table(
  args: Omit<SingleValueArgs, 'unit' | 'decimals'> & {
    readonly columns: Readonly<Record<string, { readonly name: string; readonly unit: string }>>;
  },
): PanelSpec {
  const { title, description, targets, steps, columns, w = 24, h = 8 } = args;
  return {
    type: 'table',
    title,
    description,
    datasource: DATASOURCE,
    targets,
    fieldConfig: {
      defaults: { thresholds: { mode: 'absolute', steps }, custom: { align: 'auto' } },
      overrides: Object.entries(columns).map(([refId, { unit }]) => ({
        matcher: { id: 'byName', options: `Value #${refId}` },
        properties: [
          { id: 'unit', value: unit },
          { id: 'decimals', value: 3 },
        ],
      })),
    },
    options: { showHeader: true, cellHeight: 'sm', footer: { show: false } },
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true },
          renameByName: Object.fromEntries(
            Object.entries(columns).map(([refId, { name }]) => [`Value #${refId}`, name]),
          ),
        },
      },
    ],
    w,
    h,
  };
}
