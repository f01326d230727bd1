import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a {@link FlakyUpstream} was asked. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** How the upstream answers its next request: a status, or no answer at all (`hang`). */
export type Behaviour = { status: number; body?: unknown } | 'hang';

/**
 * A local HTTP server standing in for a failing service: it answers each request as the next
 * scripted behaviour says (then 200 `{ "ok": true }` once the script is used up) and records
 * every request it received.
 */
export async function startFlakyUpstream() {
  const seen: SeenRequest[] = [];
  let script: Behaviour[] = [];
  const hanging = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    request.resume();
    const behaviour = script.shift() ?? { status: 200, body: { ok: true } };
    if (behaviour === 'hang') {
      hanging.add(() => response.destroy());
      return;
    }
    const json = behaviour.status >= 400;
    response.writeHead(behaviour.status, {
      'content-type': json ? 'application/problem+json' : 'application/json',
    });
    response.end(
      JSON.stringify(
        behaviour.body ?? {
          type: `urn:aia:problem:http_${behaviour.status}`,
          title: 'scripted failure',
          status: behaviour.status,
          detail: `scripted ${behaviour.status}`,
        },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** The answers to the next requests, in order. */
    script: (...behaviours: Behaviour[]) => {
      script = [...behaviours];
    },
    stop: async () => {
      for (const drop of hanging) drop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
