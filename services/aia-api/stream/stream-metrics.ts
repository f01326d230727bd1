import { Counter, Gauge, type Registry } from 'prom-client';

/** The hub's metrics on the gateway's `/metrics` (docs/gateway.md "Live events"). */
export interface StreamMetrics {
  readonly clients: Gauge;
  readonly messagesSent: Counter<'type'>;
  readonly slowClientsDropped: Counter;
  readonly deadPeersClosed: Counter;
  readonly refused: Counter<'status'>;
}

/** Registers the hub's metrics on `registry` (once per process). */
export function streamMetrics(registry: Registry): StreamMetrics {
  return {
    clients: new Gauge({
      name: 'gateway_stream_clients',
      help: 'WebSocket clients connected to /v1/stream on this replica',
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'gateway_stream_messages_sent_total',
      help: 'Messages sent to /v1/stream clients, by type (event, subscribed, error, ...)',
      labelNames: ['type'],
      registers: [registry],
    }),
    slowClientsDropped: new Counter({
      name: 'gateway_stream_slow_clients_dropped_total',
      help: 'Clients closed because their send buffer passed the limit (they read too slowly)',
      registers: [registry],
    }),
    deadPeersClosed: new Counter({
      name: 'gateway_stream_dead_peers_closed_total',
      help: 'Clients closed because they did not answer a heartbeat ping',
      registers: [registry],
    }),
    refused: new Counter({
      name: 'gateway_stream_refused_total',
      help: 'WebSocket upgrades refused, by HTTP status (401 no or bad token, 403 scope or origin)',
      labelNames: ['status'],
      registers: [registry],
    }),
  };
}
