/** A non-2xx answer from the governor: its status and the problem document, as sent. */
export class GovernanceHttpError extends Error {
  override readonly name = 'GovernanceHttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: the governor answered ${status}${problemText(body)}`);
  }
}

const problemText = (body: unknown): string => {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' ? ` ${body}` : '';
  // An RFC 9457 problem document: its code is the last segment of `type` (urn:aia:problem:<code>).
  const { type, title, detail } = body as Record<string, unknown>;
  const code = typeof type === 'string' ? type.slice(type.lastIndexOf(':') + 1) : undefined;
  const words = [code, detail ?? title].filter((part) => typeof part === 'string' && part !== '');
  return words.length > 0 ? ` (${words.join(': ')})` : '';
};

/** Where the governor is and who calls it. */
export interface GovernanceConnection {
  /**
   * The API the governance routes are under (`<url>/governance/...`): the governor's `/v1`, or
   * the gateway's `/v1/ledger`, which forwards to it.
   */
  readonly url: string;
  /** Bearer token, sent as `Authorization` when given. */
  readonly token?: string;
}

/**
 * The governance routes the voter's CLI uses, over `fetch`: JSON in, JSON out, and a
 * {@link GovernanceHttpError} for every answer outside 2xx.
 */
export function governanceClient(connection: GovernanceConnection) {
  const base = connection.url.replace(/\/+$/, '');
  const call = async (
    what: string,
    method: string,
    path: string,
    body?: unknown,
    { anonymous = false } = {},
  ): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (connection.token && !anonymous) headers.authorization = `Bearer ${connection.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}/governance${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new Error(`${what}: cannot reach ${base} (${cause ?? (error as Error).message})`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page: keep the text for the message.
    }
    if (!response.ok) throw new GovernanceHttpError(response.status, parsed, what);
    return parsed;
  };
  const segment = encodeURIComponent;
  return {
    registerVoter: (accountId: string, body: { commitment: string }) =>
      call('register the commitment', 'PUT', `/voters/${segment(accountId)}`, body),
    proposal: (id: string) => call('read the proposal', 'GET', `/proposals/${segment(id)}`),
    snapshot: (id: string) =>
      call('read the snapshot', 'GET', `/proposals/${segment(id)}/snapshot`),
    castVote: (id: string, ballot: object) =>
      call('send the vote', 'POST', `/proposals/${segment(id)}/votes`, ballot),
    /** A private vote, sent without the token: the proof is its credential, a token would name the voter. */
    castPrivateVote: (ballot: object) =>
      call('send the vote', 'POST', '/private-votes', ballot, { anonymous: true }),
  };
}

export type GovernanceClient = ReturnType<typeof governanceClient>;
