export {
  findExecutable,
  findPostgresBinaries,
  findRedisServer,
  type PostgresBinaries,
} from './binaries.js';
export { findFreePort, withPort } from './free-port.js';
export {
  type PostgresServer,
  type StartPostgresOptions,
  startPostgres,
} from './postgres-server.js';
export {
  type PrometheusServer,
  type ScrapeTarget,
  type StartPrometheusOptions,
  startPrometheus,
} from './prometheus-server.js';
export { type RedisServer, type StartRedisOptions, startRedis } from './redis-server.js';
export { createLocalTls, type LocalTlsFiles } from './tls-certificates.js';
