/** Values `global-setup.ts` hands to every test file through `inject()`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a role that may CREATE DATABASE, on the database `postgres`. */
    postgresAdminUrl: string;
    /** `redis://` URL of the shared Redis; tests keep to their own key prefix. */
    redisUrl: string;
  }
}

export {};
