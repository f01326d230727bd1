import { describe, expect, it } from 'vitest';
import { withEventBusStandIn } from './event-bus-stand-in.js';

describe('the rehearsal stand-in for Kafka', () => {
  it('runs a workload rendered for Kafka on the local transport, without its Kafka login', () => {
    const rendered = {
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: 'aia-kafka-bootstrap.kafka.svc:9093',
      KAFKA_USERNAME: 'economic-governor',
      KAFKA_PASSWORD: 'plan-secret-password',
      KAFKA_CA_CERT_FILE: '/etc/aia/kafka-ca/ca.crt',
      REDIS_URL: 'rediss://:secret@10.0.0.1:6378',
    };
    expect(withEventBusStandIn(rendered)).toEqual({
      EVENT_TRANSPORT: 'redis',
      REDIS_URL: 'rediss://:secret@10.0.0.1:6378',
    });
  });

  it('leaves a workload that does not use Kafka as it is', () => {
    const env = { EVENT_TRANSPORT: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(withEventBusStandIn(env)).toEqual(env);
    expect(withEventBusStandIn({ PORT: '8001' })).toEqual({ PORT: '8001' });
  });
});
