import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * An OpenAI-compatible `/chat/completions` endpoint in a process of its own, answering every
 * request at once with a fixed completion: what the benchmark measures is the client side, so
 * the server's CPU must not be counted with it.
 */
const SERVER = `
const http = require('node:http');
const body = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1764720000, model: 'bench',
  choices: [{ index: 0, finish_reason: 'stop',
    message: { role: 'assistant', content: 'A short answer of about twenty tokens, the size of a routing or scoring reply.' } }],
  usage: { prompt_tokens: 42, completion_tokens: 20, total_tokens: 62 },
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

export interface ChatServer {
  readonly baseUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startChatServer(): Promise<ChatServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    pid: child.pid as number,
    stop: async () => {
      child.kill();
      await once(child, 'exit');
    },
  };
}
