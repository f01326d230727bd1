import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { promqlDay, type Weekday } from '../../../maintenance/window.js';

const run = promisify(execFile);

/** One Cloud Monitoring condition as rendered: its PromQL and how long it must hold. */
export interface RenderedCondition {
  readonly name: string;
  readonly query: string;
  /** Cloud Monitoring's duration, such as `300s` (promtool's `for` reads the same). */
  readonly duration: string;
}

/** An evaluation time and the conditions expected to fire then (every other one silent). */
export interface Expectation {
  readonly minutes: number;
  readonly firing: readonly string[];
}

/** promtool's clock starts at 1970-01-01 00:00 UTC, a Thursday. */
const THURSDAY = promqlDay('thursday');
const MINUTES_PER_DAY = 1440;

/** Minutes from promtool's start to `hour`:`minute` UTC of the first `day` (Thursday: the first). */
export const minutesTo = (day: Weekday, hour: number, minute = 0) =>
  ((promqlDay(day) - THURSDAY + 7) % 7) * MINUTES_PER_DAY + hour * 60 + minute;

/** Every series selector a query reads (`name{labels}[range]`), as promtool input series. */
export function selectorsOf(query: string): string[] {
  const found = [...query.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*\{[^}]*\})\[/g)].map(
    (match) => match[1] as string,
  );
  return [...new Set(found)];
}

/**
 * Runs the conditions as alerting rules through the real `promtool test rules`, with every
 * series they read at 1000 each minute (far above any threshold, for a count or a gauge alike)
 * from promtool's start, and checks at each evaluation time that exactly `firing` fire. Resolves
 * with promtool's output; rejects (promtool exits 1, the failures on stderr) otherwise.
 * `valuesOf` replaces the series' values (promtool's notation) up to the minute it is given.
 */
export async function promtoolVerdict(
  conditions: readonly RenderedCondition[],
  expectations: readonly Expectation[],
  valuesOf: (minutes: number) => string = (minutes) => `1000+0x${minutes}`,
) {
  const dir = await mkdtemp(join(tmpdir(), 'aia-cloud-alerts-'));
  try {
    const last = Math.max(...expectations.map((expectation) => expectation.minutes));
    const series = [...new Set(conditions.flatMap((condition) => selectorsOf(condition.query)))];
    if (series.length === 0) throw new Error('the conditions read no series');
    await writeFile(
      join(dir, 'rules.yaml'),
      stringify({
        groups: [
          {
            name: 'cloud-monitoring',
            rules: conditions.map((condition) => ({
              alert: condition.name,
              expr: condition.query,
              for: condition.duration,
            })),
          },
        ],
      }),
    );
    await writeFile(
      join(dir, 'tests.yaml'),
      stringify({
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: series.map((selector) => ({
              series: selector,
              values: valuesOf(last + 10),
            })),
            alert_rule_test: expectations.flatMap(({ minutes, firing }) =>
              conditions.map((condition) => ({
                eval_time: `${minutes}m`,
                alertname: condition.name,
                exp_alerts: firing.includes(condition.name) ? [{ exp_labels: {} }] : [],
              })),
            ),
          },
        ],
      }),
    );
    return await run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
