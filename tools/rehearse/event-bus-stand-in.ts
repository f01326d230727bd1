/** The variables that point a service at the deployed Kafka (the infra renders them). */
export const KAFKA_KEYS = [
  'KAFKA_BROKERS',
  'KAFKA_USERNAME',
  'KAFKA_PASSWORD',
  'KAFKA_CA_CERT_FILE',
] as const;

/**
 * No Kafka broker can run here: a workload rendered for Kafka (`EVENT_TRANSPORT=kafka`) runs the
 * kit's local transport instead, Redis Streams on its REDIS_URL (the rehearsal's Redis, with TLS
 * and AUTH), through the same relay and consumer code. Its Kafka login, brokers and CA file are
 * left out. The Kafka transport itself is proven by the event bus's contract suite wherever
 * `KAFKA_BROKERS` points at a broker.
 */
export function withEventBusStandIn(env: Readonly<Record<string, string>>): Record<string, string> {
  if (env.EVENT_TRANSPORT !== 'kafka') return { ...env };
  const rest = Object.fromEntries(
    Object.entries(env).filter(([key]) => !(KAFKA_KEYS as readonly string[]).includes(key)),
  );
  return { ...rest, EVENT_TRANSPORT: 'redis' };
}
