import type { EvidenceTotals } from '../domain/evidence.js';
import type { Properties } from '../graph/graph-store.js';

/**
 * Evidence as properties of a HAS_SKILL or APPLIES_TO edge, beside the relation's own (`level`):
 * `evidence_*` totals, set whole from the PostgreSQL rows (never added to), so copying twice
 * leaves the same edge. Means are derived when read.
 */
export function evidenceProperties(totals: EvidenceTotals, copiedAt: string): Properties {
  return {
    evidence_runs: totals.runs,
    evidence_successes: totals.successes,
    evidence_failures: totals.failures,
    evidence_quality_sum: totals.quality_sum,
    evidence_quality_count: totals.quality_count,
    evidence_cost_sum: totals.cost_sum,
    // A property cannot be null on Neo4j: without runs there is no mean, and no such property.
    ...(totals.mean_cost === null ? {} : { evidence_mean_cost: totals.mean_cost }),
    evidence_latency_sum_ms: totals.latency_sum_ms,
    evidence_latency_max_ms: totals.latency_max_ms,
    evidence_copied_at: copiedAt,
  };
}

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

/** The evidence an edge carries, or undefined when it carries none. */
export function evidenceOfEdge(properties: Properties): EvidenceTotals | undefined {
  if (typeof properties.evidence_runs !== 'number') return undefined;
  return {
    runs: properties.evidence_runs,
    successes: count(properties.evidence_successes),
    failures: count(properties.evidence_failures),
    quality_sum: count(properties.evidence_quality_sum),
    quality_count: count(properties.evidence_quality_count),
    cost_sum: String(properties.evidence_cost_sum ?? '0'),
    mean_cost:
      typeof properties.evidence_mean_cost === 'string' ? properties.evidence_mean_cost : null,
    latency_sum_ms: count(properties.evidence_latency_sum_ms),
    latency_max_ms: count(properties.evidence_latency_max_ms),
  };
}
