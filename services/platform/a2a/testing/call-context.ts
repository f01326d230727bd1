import { ServerCallContext } from '@a2a-js/sdk/server';
import { PrincipalUser } from '../caller.js';

/** The SDK's call context for a caller with this token subject, as the routes build it. */
export const callAs = (subject: string, tenant?: string): ServerCallContext =>
  new ServerCallContext({
    user: new PrincipalUser({ subject, scopes: new Set() }),
    requestedVersion: '1.0',
    ...(tenant === undefined ? {} : { tenant }),
  });
