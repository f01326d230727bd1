export { MemorystoreRedis, type MemorystoreRedisArgs } from './memorystore.js';
export {
  type RedisTier,
  redisInstanceId,
  redisMaintenancePolicy,
  redisReplication,
  redisUrl,
  type Weekday,
} from './settings.js';
