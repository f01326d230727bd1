/** What one service says about itself: `/readyz` and `/info`. */
export interface ServiceHealth {
  readonly service: string;
  readonly url: string;
  /**
   * `unreachable`: no HTTP answer at all (not running, wrong address, a network policy);
   * `misrouted`: another service answers at its address (its `/info` names another).
   */
  readonly state: 'ready' | 'degraded' | 'unavailable' | 'unreachable' | 'misrouted';
  readonly version?: string;
  readonly revision?: string;
  /** Readiness checks and their state (`up`/`down`): the service's view of its data stores. */
  readonly checks: Readonly<Record<string, 'up' | 'down'>>;
  /** Why it is not ready, in the service's words, or why it could not be asked. */
  readonly detail?: string;
}

interface ReadyzBody {
  status?: string;
  detail?: string;
  checks?: Record<string, { status?: string }>;
}

const PROBE_TIMEOUT_MS = 5_000;

const getJson = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as unknown };
};

/** Asks the service at `url` for its readiness and its version. */
export async function probeService(service: string, url: string): Promise<ServiceHealth> {
  const base = url.replace(/\/+$/, '');
  try {
    const [ready, info] = await Promise.all([
      getJson(`${base}/readyz`),
      getJson(`${base}/info`).catch(() => undefined),
    ]);
    const body = ready.body as ReadyzBody;
    const checks = Object.fromEntries(
      Object.entries(body.checks ?? {}).map(([name, check]) => [
        name,
        check.status === 'down' ? ('down' as const) : ('up' as const),
      ]),
    );
    const { name, version, revision } = (info?.body ?? {}) as {
      name?: string;
      version?: string;
      revision?: string;
    };
    if (name !== undefined && name !== service) {
      return { service, url: base, state: 'misrouted', checks: {}, detail: `${name} answers here` };
    }
    const state =
      ready.status === 200 ? (body.status === 'degraded' ? 'degraded' : 'ready') : 'unavailable';
    return {
      service,
      url: base,
      state,
      checks,
      ...(version ? { version } : {}),
      ...(revision ? { revision } : {}),
      ...(body.detail ? { detail: body.detail } : {}),
    };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return {
      service,
      url: base,
      state: 'unreachable',
      checks: {},
      detail: cause ?? (error as Error).message,
    };
  }
}
