export { MemorystoreRedis, type MemorystoreRedisArgs } from './memorystore.js';
export {
  pemBundle,
  REDIS_CA_CERT_FILE,
  REDIS_SERVER_CA,
  type RedisServerCaArgs,
  redisServerCaConfigMap,
} from './server-ca.js';
export {
  type RedisTier,
  redisInstanceId,
  redisMaintenancePolicy,
  redisReplication,
  redisUrl,
  type Weekday,
} from './settings.js';
