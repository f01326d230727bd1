import { columns } from '../text-columns.js';
import type { ServiceHealth } from './service-health.js';

export interface HealthRow extends ServiceHealth {
  /** Share of the 30-day error budget left; undefined without Prometheus or traffic. */
  readonly budgetLeft?: number;
}

const percent = (share: number | undefined) =>
  share === undefined ? '—' : `${Math.round(share * 1000) / 10} %`;

/**
 * The health of a stack as a person reads it: one line per service (state, version, revision,
 * checks down, error budget left), then one per dependency (how many services see it up).
 */
export function healthTable(rows: readonly HealthRow[]): string {
  const services = columns([
    ['SERVICE', 'STATE', 'VERSION', 'REVISION', 'DOWN', 'BUDGET LEFT', 'DETAIL'],
    ...rows.map((row) => [
      row.service,
      row.state,
      row.version ?? '—',
      row.revision?.slice(0, 12) ?? '—',
      Object.entries(row.checks)
        .filter(([, state]) => state === 'down')
        .map(([name]) => name)
        .join(',') || '—',
      percent(row.budgetLeft),
      row.state === 'ready' ? '' : (row.detail ?? ''),
    ]),
  ]);
  const dependencies = new Map<string, { up: number; down: number }>();
  for (const row of rows) {
    for (const [name, state] of Object.entries(row.checks)) {
      if (name.startsWith('worker:')) continue;
      const seen = dependencies.get(name) ?? { up: 0, down: 0 };
      seen[state === 'down' ? 'down' : 'up']++;
      dependencies.set(name, seen);
    }
  }
  const stores = columns([
    ['DEPENDENCY', 'UP', 'DOWN'],
    ...[...dependencies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, seen]) => [name, String(seen.up), String(seen.down)]),
  ]);
  return `${services}\n\n${stores}\n`;
}

/** 0 when every service is ready or degraded; 1 when one is unavailable or unreachable. */
export const healthExitCode = (rows: readonly HealthRow[]) =>
  rows.every((row) => row.state === 'ready' || row.state === 'degraded') ? 0 : 1;
