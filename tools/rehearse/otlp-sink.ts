import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the trace collector: accepts every OTLP/HTTP export with 200 and keeps nothing,
 * so services with tracing on export as in the stack instead of logging failed exports.
 */
export async function startOtlpSink(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
