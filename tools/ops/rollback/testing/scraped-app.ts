import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createServiceMetrics } from '../../../../services/platform/metrics.js';
import type { AppEnv } from '../../../../services/platform/types.js';
import { kitApp } from '../../../../test/harness/kit-app.js';

/** A kit service whose answers a test steers: `/v1/answer` fails or is slow as it is told. */
export interface ScrapedApp {
  /** `host:port`, for Prometheus's scrape configuration. */
  readonly address: string;
  /** From now on, this share of requests answers 500, after `delayMs`. */
  behave(behaviour: { readonly failShare: number; readonly delayMs?: number }): void;
  /** Sends one request to itself (the traffic a test drives). */
  hit(): Promise<void>;
  /**
   * Asks `/healthz` and `/readyz` once, as the kubelet's liveness and readiness probes and the
   * load balancer's health check do every few seconds whatever the traffic (Prometheus's own
   * scrapes of `/metrics` come on top).
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the kit's HTTP stack (its metrics middleware and `/metrics`) on a free port, labelling
 * its series `service="<service>"` as a service of the platform does.
 */
export async function startScrapedApp(service = 'aia-api'): Promise<ScrapedApp> {
  let behaviour = { failShare: 0, delayMs: 0 };
  let served = 0;
  const routes = new Hono<AppEnv>();
  routes.get('/answer', async (c) => {
    served++;
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    // Every n-th request fails, so the share is exact rather than random.
    const failEvery = behaviour.failShare > 0 ? Math.round(1 / behaviour.failShare) : 0;
    return failEvery && served % failEvery === 0 ? c.text('broken', 500) : c.text('ok');
  });
  const { app } = kitApp({
    service,
    metrics: createServiceMetrics({ service }),
    logLevel: 'silent',
    routes,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    address: `127.0.0.1:${port}`,
    behave: (next) => {
      behaviour = { delayMs: 0, ...next };
    },
    hit: async () => {
      await fetch(`${url}/v1/answer`).then((response) => response.arrayBuffer());
    },
    probe: async () => {
      for (const path of ['/healthz', '/readyz']) {
        await fetch(`${url}${path}`).then((response) => response.arrayBuffer());
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
