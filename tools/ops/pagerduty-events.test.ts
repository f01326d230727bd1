import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pagerDuty } from './pagerduty-events.js';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** A local stand-in for the Events API answering `status` and keeping what it received. */
async function eventsApi(status: number, answer: string) {
  const received: { body: unknown; contentType: string | undefined }[] = [];
  server = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    received.push({ body: JSON.parse(text), contentType: request.headers['content-type'] });
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(answer);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v2/enqueue`, received };
}

describe('pagerDuty', () => {
  it('triggers an Events API v2 incident with the routing key, dedup key and details', async () => {
    const api = await eventsApi(202, '{"status":"success","dedup_key":"k"}');
    await pagerDuty(
      'R0UT1NGKEY',
      api.url,
    )({
      summary: 'production/aia-api: green rolled back to blue',
      severity: 'critical',
      source: 'production/aia-api',
      component: 'aia-api',
      dedupKey: 'release-watch/production/aia-api/green',
      details: { outcome: 'rolled-back' },
    });
    expect(api.received).toEqual([
      {
        contentType: 'application/json',
        body: {
          routing_key: 'R0UT1NGKEY',
          event_action: 'trigger',
          dedup_key: 'release-watch/production/aia-api/green',
          payload: {
            summary: 'production/aia-api: green rolled back to blue',
            severity: 'critical',
            source: 'production/aia-api',
            component: 'aia-api',
            custom_details: { outcome: 'rolled-back' },
          },
        },
      },
    ]);
  });

  it("fails with PagerDuty's answer when the event is refused", async () => {
    const api = await eventsApi(400, '{"status":"invalid event","errors":["Invalid routing key"]}');
    await expect(
      pagerDuty(
        'wrong',
        api.url,
      )({
        summary: 's',
        severity: 'warning',
        source: 'x',
        dedupKey: 'd',
      }),
    ).rejects.toThrow(
      'PagerDuty refused the page (400): {"status":"invalid event","errors":["Invalid routing key"]}',
    );
  });
});
