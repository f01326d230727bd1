import { isServiceName, serviceDefinition, serviceNames } from './catalog.js';

/**
 * Container HEALTHCHECK (the runtime image has no shell or curl): exits 0 when every service
 * named by SERVICE (one name, a comma-separated list, or `all`) answers `/healthz` on its port
 * within 2 s, else 1. PORT overrides the port when SERVICE names one service.
 */
function ports(): number[] {
  const names = (process.env.SERVICE ?? '').split(',').filter(Boolean);
  const wanted = names.length === 0 || names.includes('all') ? serviceNames : names;
  const unknown = wanted.filter((name) => !isServiceName(name));
  if (unknown.length > 0) throw new Error(`unknown service(s) in SERVICE: ${unknown.join(', ')}`);
  if (wanted.length === 1 && process.env.PORT) return [Number(process.env.PORT)];
  return wanted.map((name) => serviceDefinition(name as (typeof serviceNames)[number]).port);
}

try {
  for (const port of ports()) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) throw new Error(`port ${port} answered ${res.status}`);
  }
  process.exit(0);
} catch (error) {
  console.error(`healthcheck failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
