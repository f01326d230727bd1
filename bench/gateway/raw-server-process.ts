import { resolve } from 'node:path';
import { wrapCommand } from '../../tools/local-servers/run-as.js';
import { spawnServer, waitUntilReady } from '../../tools/local-servers/server-process.js';

/** The raw `node:http` reference server, running in a process of its own. */
export interface RawServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: URL;
  readonly pid: number;
  /** SIGTERM, SIGKILL after 5 s; resolves once it exited. Idempotent. */
  stop(): Promise<void>;
}

const READY_LINE = /raw-server listening on 127\.0\.0\.1:(\d+) \(pid (\d+)\)/;
const READY_TIMEOUT_MS = 15_000;

/**
 * Starts `raw-server.ts` (answering every request with `body`) with this process's Node and
 * resolves once it has said where it listens: a process of its own, like the governor and the
 * gateway, so no server shares an event loop with the load generator.
 */
export async function startRawServer(body: string): Promise<RawServer> {
  const script = resolve(import.meta.dirname, 'raw-server.ts');
  const server = spawnServer(
    wrapCommand(process.execPath, ['--disable-warning=ExperimentalWarning', script, body], {
      deathSignal: 'SIGTERM',
    }),
    { name: 'raw node:http server', stopSignal: 'SIGTERM', killAfterMs: 5_000 },
  );
  let listening: RegExpExecArray | null = null;
  await waitUntilReady(
    server,
    'the raw node:http server',
    async () => {
      listening = READY_LINE.exec(server.recentOutput());
      return listening !== null;
    },
    READY_TIMEOUT_MS,
  );
  const [, port, pid] = listening as unknown as RegExpExecArray;
  return {
    origin: new URL(`http://127.0.0.1:${port}`),
    pid: Number(pid),
    stop: () => server.stop(),
  };
}
