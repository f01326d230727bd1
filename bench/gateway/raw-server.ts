import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The reference of the gateway benchmark: bare `node:http` answering every request with the same
 * JSON body (the governor's answer to the measured read, given as the first argument), with
 * nothing else on the path: no routing, no authentication, no database. Run by
 * `raw-server-process.ts` in a process of its own, as the services run, with Node's own type
 * stripping (no imports but Node's, so no loader is needed).
 */
const body = Buffer.from(process.argv[2] ?? '{}');

const server = createServer((request, response) => {
  // Drained so a request with a body cannot stall its keep-alive connection.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
    });
    response.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  // The one line its starter waits for, and reads the port and the pid (for its CPU) from.
  process.stdout.write(`raw-server listening on 127.0.0.1:${port} (pid ${process.pid})\n`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
