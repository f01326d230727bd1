import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's parser codes for requests refused before any app code runs, and what they mean. */
interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
}

const REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    title: 'Request Header Fields Too Large',
    detail:
      'request headers exceed the server limit (16 KiB in all); send a shorter token or fewer headers',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    title: 'Request Timeout',
    detail: 'the request was not received in time',
  },
};
const MALFORMED: Refusal = {
  status: 400,
  code: 'bad_request',
  title: 'Bad Request',
  detail: 'malformed HTTP request',
};

/**
 * Answers the requests Node refuses itself (oversized headers, malformed requests, slow clients)
 * with the same RFC 9457 problem document the app's own errors use, instead of Node's bare status
 * line. No request id exists yet: the app never saw the request.
 *
 * @example
 * answerClientErrors(serve({ fetch: app.fetch, port }) as Server);
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a socket already answered leaves nothing to say.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({
      type: `urn:aia:problem:${refusal.code}`,
      title: refusal.title,
      status: refusal.status,
      detail: refusal.detail,
    });
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.title}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
