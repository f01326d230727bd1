/** One series of an instant query's result: its labels and its value now. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Asks a Prometheus server for the value of an expression now. */
export type InstantQuery = (expr: string) => Promise<Sample[]>;

interface VectorResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

const QUERY_TIMEOUT_MS = 10_000;

/**
 * Instant queries against Prometheus's HTTP API (`GET /api/v1/query`) at `baseUrl`. Rejects with
 * Prometheus's own error for a bad expression, and on a non-vector result; `NaN` values (a ratio
 * over no traffic) are left out, so an empty result means "nothing to judge".
 */
export function prometheusQuery(baseUrl: string): InstantQuery {
  const base = baseUrl.replace(/\/+$/, '');
  return async (expr) => {
    const response = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<VectorResponse>;
    if (!response.ok || body.status !== 'success' || !body.data) {
      throw new Error(
        `Prometheus at ${base} refused the query (${response.status}): ${body.error ?? 'no answer'}`,
      );
    }
    if (body.data.resultType !== 'vector') {
      throw new Error(`expected a vector from Prometheus, got ${body.data.resultType}`);
    }
    return body.data.result
      .map(({ metric, value }) => ({ labels: metric, value: Number(value[1]) }))
      .filter((sample) => !Number.isNaN(sample.value));
  };
}
