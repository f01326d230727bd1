import type { Logger } from 'pino';

/** The authenticated caller, set by the `authenticate` middleware. */
export interface Principal {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}

/** Hono environment shared by every service app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal?: Principal;
  };
}
