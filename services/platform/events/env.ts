import { z } from 'zod';
import { ConfigError, secret } from '../config.js';
import { text } from '../env.js';
import { readPemCa } from '../pem-ca.js';
import type { KafkaConnectionSettings } from './kafka-transport.js';

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/**
 * The event bus's variables, for a service's env schema to spread (with `eventBusConfigured` as a
 * refinement). Locally the bus runs on Redis Streams over the service's REDIS_URL; the stacks
 * render `kafka` with the brokers, the service's KafkaUser and the cluster CA.
 */
export const eventBusEnv = {
  /** `redis` (local runs, tests: Redis Streams on REDIS_URL) or `kafka` (the stacks). */
  EVENT_TRANSPORT: z.enum(['redis', 'kafka']).default('redis'),
  /** Comma-separated bootstrap brokers, `host:port,host:port`; required with `kafka`. */
  KAFKA_BROKERS: text('a comma-separated list of host:port')
    .refine((value) => value.split(',').every((broker) => BROKER.test(broker.trim())), {
      error: 'expected a comma-separated list of host:port',
    })
    .optional(),
  /** The service's KafkaUser (SCRAM-SHA-512). */
  KAFKA_USERNAME: text('a Kafka user name').min(1).optional(),
  KAFKA_PASSWORD: secret(text('the Kafka user password').min(1)).optional(),
  /** PEM file of the cluster CA; TLS to the brokers is on exactly when it is set. */
  KAFKA_CA_CERT_FILE: text('the path of a PEM CA certificate file').min(1).optional(),
};

export type EventBusConfig = {
  readonly EVENT_TRANSPORT?: 'redis' | 'kafka';
  readonly KAFKA_BROKERS?: string;
  readonly KAFKA_USERNAME?: string;
  readonly KAFKA_PASSWORD?: string;
  readonly KAFKA_CA_CERT_FILE?: string;
  readonly REDIS_URL?: string;
  readonly ENVIRONMENT?: string;
};

/**
 * Refinement for schemas with `eventBusEnv`: `redis` runs on REDIS_URL (without it, locally, the
 * service starts with its events left in its outbox until it has one); `kafka` needs
 * KAFKA_BROKERS, the user and password together, and on staging and production all of user,
 * password and CA (no plaintext, no anonymous client where the cluster is shared).
 */
export const eventBusConfigured = (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if ((env.EVENT_TRANSPORT ?? 'redis') === 'redis') return;
  if (env.KAFKA_BROKERS === undefined)
    issue('KAFKA_BROKERS', 'required when EVENT_TRANSPORT is kafka');
  const deployed = env.ENVIRONMENT === 'staging' || env.ENVIRONMENT === 'production';
  for (const key of ['KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_CA_CERT_FILE'] as const) {
    if (env[key] !== undefined) continue;
    if (deployed)
      issue(key, `required when EVENT_TRANSPORT is kafka and ENVIRONMENT is ${env.ENVIRONMENT}`);
    else if (key === 'KAFKA_USERNAME' && env.KAFKA_PASSWORD !== undefined)
      issue(key, 'required with KAFKA_PASSWORD');
    else if (key === 'KAFKA_PASSWORD' && env.KAFKA_USERNAME !== undefined)
      issue(key, 'required with KAFKA_USERNAME');
  }
};

/** `host:port` strings of KAFKA_BROKERS. */
export const kafkaBrokersOf = (value: string): string[] =>
  value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);

/** The PEM CA file named by KAFKA_CA_CERT_FILE, read once at start (`ConfigError` if unusable). */
export const readKafkaCa = (service: string, file: string): string =>
  readPemCa(service, 'KAFKA_CA_CERT_FILE', file);

/**
 * The Kafka settings of `service` from its configuration (EVENT_TRANSPORT=kafka): the brokers, its
 * KafkaUser when both user and password are set, the cluster CA when its file is. The one reading
 * of these variables, for the transport and for the gateway's fan-out reader alike.
 * @throws ConfigError when KAFKA_BROKERS is missing or the CA file is unusable.
 */
export function kafkaSettingsOf(service: string, config: EventBusConfig): KafkaConnectionSettings {
  if (!config.KAFKA_BROKERS) {
    throw new ConfigError(service, [
      { field: 'KAFKA_BROKERS', reason: 'required when EVENT_TRANSPORT is kafka' },
    ]);
  }
  return {
    brokers: kafkaBrokersOf(config.KAFKA_BROKERS),
    clientId: service,
    ...(config.KAFKA_USERNAME && config.KAFKA_PASSWORD
      ? { sasl: { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD } }
      : {}),
    ...(config.KAFKA_CA_CERT_FILE ? { ca: readKafkaCa(service, config.KAFKA_CA_CERT_FILE) } : {}),
  };
}
