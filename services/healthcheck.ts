import { isServiceName, serviceDefinition } from './catalog.js';

/**
 * Container HEALTHCHECK (the runtime image has no shell or curl): exits 0 when the service
 * named by SERVICE answers `/healthz` on its port within 2 s, 1 otherwise.
 */
const service = process.env.SERVICE ?? '';
const port =
  process.env.PORT ?? (isServiceName(service) ? serviceDefinition(service).port : undefined);

try {
  if (port === undefined) throw new Error(`unknown SERVICE '${service}' and no PORT`);
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(2_000),
  });
  process.exit(res.ok ? 0 : 1);
} catch (error) {
  console.error(`healthcheck failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
