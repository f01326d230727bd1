import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol, RecordedRequest, Reply } from './protocol.js';
import { type Answer, Script } from './script.js';

/** A fake provider API on 127.0.0.1: scripted answers, and every request it received. */
export interface ProtocolServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** What the provider's base URL setting takes (the origin plus the API's path prefix). */
  readonly baseUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** Queues answers, given out in order. */
  answer(...answers: Answer[]): void;
  /** Answered whenever the queue is empty. */
  answerAlways(answer: Answer): void;
  close(): Promise<void>;
}

async function record(req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest> {
  const receivedAt = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? '/', 'http://fake');
  return {
    method: req.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    receivedAt,
    rawBody,
    body,
    // 'close' on the response before it finished: the client hung up on us.
    disconnected: new Promise((resolve) =>
      res.on('close', () => {
        if (!res.writableFinished) resolve();
      }),
    ),
  };
}

/** A reply and whether to keep its stream open after the last part. */
type Outcome = Reply & { readonly hold?: boolean };

function send(res: ServerResponse, { body, hold, ...reply }: Outcome): void {
  res.writeHead(reply.status, reply.headers);
  if (typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body);
    return;
  }
  res.flushHeaders();
  for (const part of body) res.write(part);
  if (!hold) res.end();
}

/** The answer to a request: refused as the provider would, or the next scripted one. */
function answerFor(
  protocol: Protocol,
  request: RecordedRequest,
  next: () => Answer | undefined,
): Outcome | 'hang' {
  const route = protocol.route(request);
  if (!route) return protocol.error(404, `no ${request.method} ${request.path}`);
  const credentials = protocol.refuseCredentials(request);
  if (credentials) return protocol.error(protocol.credentialsStatus ?? 401, credentials);
  const body = protocol.refuseBody(route, request);
  if (body) return protocol.error(400, body);
  const scripted = next();
  if (!scripted)
    return protocol.error(501, `the test scripted no answer for ${request.method} ${request.path}`);
  switch (scripted.kind) {
    case 'hang':
      return 'hang';
    case 'malformed':
      return protocol.malformed(route);
    case 'status': {
      const error = protocol.error(scripted.status, scripted.message);
      return { ...error, headers: { ...error.headers, ...scripted.headers } };
    }
    case 'embeddings': {
      if (route.operation !== 'embed')
        return protocol.error(501, `embeddings scripted for a ${route.operation} call`);
      const values = protocol.embeddingValues(request);
      const vectors = values.map((value, index) => scripted.vectorOf(value, index));
      const missing = values.filter((_, index) => !vectors[index]);
      if (missing.length > 0)
        return protocol.error(501, `no vector scripted for ${JSON.stringify(missing)}`);
      return protocol.embeddings(route, vectors as number[][], scripted.tokens, request);
    }
    case 'text':
      if (route.operation === 'embed')
        return protocol.error(501, 'text scripted for an embedding call');
      return {
        ...protocol.text(route, scripted, request),
        hold: scripted.hold && route.operation === 'stream',
      };
  }
}

/**
 * Serves `protocol` on 127.0.0.1 with an ephemeral port. Each request is recorded, then checked
 * as the provider would check it (path, credentials, body shape: 404, 401, 400 in the provider's
 * own error format), then given the next scripted answer.
 */
export async function startProtocolServer(
  protocol: Protocol,
  basePath: string,
): Promise<ProtocolServer> {
  const script = new Script();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    record(req, res).then(
      (request) => {
        requests.push(request);
        const outcome = answerFor(protocol, request, () => script.next());
        if (outcome !== 'hang') send(res, outcome);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}${basePath}`,
    requests,
    answer: (...answers) => script.push(...answers),
    answerAlways: (answer) => script.always(answer),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging and held answers keep their sockets: close them, or close() never returns.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
