/**
 * Watches the gateway's live events: `npx tsx tools/stream-watch.ts <topic> [name=value ...]
 * [--after <cursor>]`, with the token in AIA_TOKEN and the gateway in AIA_GATEWAY (default
 * http://127.0.0.1:8000). Uses Node's own WebSocket (Node 22+), which like a browser cannot set
 * headers: the token goes in the `aia.bearer.<token>` subprotocol, never in the URL. Prints each
 * message as a line of JSON; on a close it says how to resume from the last cursor; a refused
 * subscription (an `error` message) ends it with status 1.
 */
const [topic, ...rest] = process.argv.slice(2);
const token = process.env.AIA_TOKEN;
if (!topic || !token) {
  process.stderr.write(
    `${'usage: AIA_TOKEN=<token> npx tsx tools/stream-watch.ts <topic> [name=value ...] [--after <cursor>]'}\n`,
  );
  process.exit(64);
}
const afterIndex = rest.indexOf('--after');
const after = afterIndex >= 0 ? rest[afterIndex + 1] : undefined;
const filter = Object.fromEntries(
  rest
    // Without --after (index -1), every argument is a filter: index 0 included.
    .filter((_arg, index) => afterIndex < 0 || (index !== afterIndex && index !== afterIndex + 1))
    .map((arg) => arg.split('=', 2) as [string, string]),
);
const gateway = new URL(process.env.AIA_GATEWAY ?? 'http://127.0.0.1:8000');
gateway.protocol = gateway.protocol === 'https:' ? 'wss:' : 'ws:';
gateway.pathname = '/v1/stream';

const socket = new WebSocket(gateway, ['aia.stream.v1', `aia.bearer.${token}`]);
let cursor = after;
socket.addEventListener('open', () =>
  socket.send(
    JSON.stringify({ type: 'subscribe', id: 'watch', topic, filter, ...(after ? { after } : {}) }),
  ),
);
socket.addEventListener('message', (message) => {
  process.stdout.write(`${message.data}\n`);
  const parsed = JSON.parse(String(message.data)) as { type?: string; cursor?: string };
  cursor = parsed.cursor ?? cursor;
  // The one subscription refused (its reason printed above): nothing will come; say so.
  if (parsed.type === 'error') process.exit(1);
});
socket.addEventListener('close', (event) => {
  process.stderr.write(`closed ${event.code} ${event.reason}\n`);
  if (cursor) process.stderr.write(`resume with: --after ${cursor}\n`);
  process.exit(event.code === 1000 ? 0 : 1);
});
socket.addEventListener('error', () =>
  process.stderr.write('connection failed (a refused upgrade: check the token and its scopes)\n'),
);
