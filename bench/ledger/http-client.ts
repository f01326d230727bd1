import { type Agent, request } from 'node:http';

/** One HTTP request of the benchmark; `body` is sent as JSON when present. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token?: string;
  readonly body?: string;
  /** Further request headers, e.g. `A2A-Version`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Status and whole body of a response. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends `req` to `origin` (e.g. `http://127.0.0.1:8001`) over `agent` and resolves with the
 * status and body. Bare `node:http` rather than `fetch`: the load generator's own overhead is
 * part of what a single machine measures, and this is the cheapest client Node has.
 */
export function send(agent: Agent, origin: URL, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      accept: 'application/json',
      ...req.headers,
    };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    const outgoing = request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method: req.method,
        path: req.path,
        headers,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/**
 * `send` for setup calls: resolves with the parsed JSON body when the status is `expected`,
 * otherwise throws with the method, path, status and the start of the body.
 */
export async function sendJson(
  agent: Agent,
  origin: URL,
  req: HttpRequest,
  expected: number,
): Promise<unknown> {
  const response = await send(agent, origin, req);
  if (response.status !== expected) {
    throw new Error(
      `${req.method} ${req.path} answered ${response.status} (expected ${expected}): ${response.body.slice(0, 500)}`,
    );
  }
  return JSON.parse(response.body) as unknown;
}
