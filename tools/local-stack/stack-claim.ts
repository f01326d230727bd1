import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Marks `stackDir` as used by this process (`npm-start.pid`) and returns how to release it.
 * @throws Error naming the other process and what to do when a live `npm start` holds it: its
 * PostgreSQL would refuse a second server on the same data anyway, with a less helpful message.
 */
export function claimStackDir(stackDir: string, offset: number): () => void {
  const file = join(stackDir, 'npm-start.pid');
  const holder = Number.parseInt(readOr(file, ''), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new Error(
      `another npm start (pid ${holder}) runs with data in ${stackDir}: stop it, or start a second stack beside it with \`npm start -- --port-offset ${offset + 100}\``,
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

const readOr = (file: string, fallback: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something already listens on `host:port` (binding it fails with EADDRINUSE). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(true) : reject(error),
    );
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
