export { createTestDatabase, type TestDatabase, useTestDatabase } from './databases.js';
export { createTestRedisNamespace, type TestRedisNamespace, useTestRedis } from './redis.js';
