import { A2A_VERSION_HEADER, Extensions, HTTP_EXTENSION_HEADER } from '@a2a-js/sdk';
import { A2A_ERROR_CODE } from '@a2a-js/sdk/errors';
import {
  type A2ARequestHandler,
  JsonRpcTransportHandler,
  ServerCallContext,
  UnauthenticatedUser,
} from '@a2a-js/sdk/server';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../types.js';
import { PrincipalUser } from './caller.js';
import {
  errorResponse,
  type JsonRpcError,
  type JsonRpcId,
  redacted,
  safeJsonRpcError,
} from './json-rpc-errors.js';
import { sseResponse } from './sse.js';
import { checkVersion } from './version.js';

export interface A2aJsonRpcRoutesOptions {
  /** The SDK's request handler (usually `DefaultRequestHandler`) serving one agent. */
  readonly handler: A2ARequestHandler;
  /** Where the endpoint is, relative to where the routes are mounted. Default `/`. */
  readonly path?: string;
  /**
   * Sets `c.var.principal`, e.g. the kit's `authenticate({ verify })`, when the routes are not
   * mounted under `/v1` (where the kit authenticates already). A request that reaches the
   * endpoint with no principal is refused (401) unless `anonymous` is set.
   */
  readonly authenticate?: MiddlewareHandler<AppEnv>;
  /**
   * Serves callers without a principal as the SDK's unauthenticated user, whose tasks the stores
   * file under one shared owner (`unknown`): only for an agent that is public on purpose.
   */
  readonly anonymous?: boolean;
  /** Largest request body. Default 1 MiB; larger ones get -32600 with HTTP 413. */
  readonly maxBodyBytes?: number;
}

/**
 * A2A 1.0 over JSON-RPC 2.0 on Hono, with the SDK's framework-neutral `JsonRpcTransportHandler`
 * (the SDK mounts it on Express only). One POST endpoint: `SendStreamingMessage` and
 * `SubscribeToTask` answer with server-sent events, every other method with one JSON-RPC
 * response. Before the SDK sees a request: the body limit, JSON parsing (-32700), the envelope
 * (-32600) and the `A2A-Version` header (-32009). The kit's caller becomes the SDK's user, whose
 * `userName` (the token subject) owns the tasks it creates.
 *
 * @example
 * const handler = new DefaultRequestHandler(card, new PostgresTaskStore(db), executor);
 * router.route('/agents/planner/a2a', a2aJsonRpcRoutes({ handler }));
 */
export function a2aJsonRpcRoutes({
  handler,
  path = '/',
  authenticate,
  anonymous = false,
  maxBodyBytes = 1024 * 1024,
}: A2aJsonRpcRoutesOptions): Hono<AppEnv> {
  const transport = new JsonRpcTransportHandler(handler);
  const app = new Hono<AppEnv>();
  if (authenticate) app.use(path, authenticate);
  app.post(
    path,
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        c.json(
          errorResponse(null, {
            code: A2A_ERROR_CODE.INVALID_REQUEST,
            message: `request body exceeds ${maxBodyBytes} bytes`,
          }),
          413,
        ),
    }),
    async function a2aJsonRpc(c) {
      const body = await parsedBody(c);
      if ('error' in body) return reply(c, null, body.error);
      const { request } = body;
      const id = idOf(request);
      const logger = c.get('logger');
      try {
        const requestedVersion = c.req.header(A2A_VERSION_HEADER);
        checkVersion(requestedVersion, await handler.getAgentCard());
        const principal = c.get('principal');
        if (!principal && !anonymous) {
          c.header('WWW-Authenticate', 'Bearer');
          return c.json(
            errorResponse(id, {
              code: A2A_ERROR_CODE.INVALID_REQUEST,
              message: 'authentication required: send a bearer token (see the agent card)',
            }),
            401,
          );
        }
        const context = new ServerCallContext({
          user: principal ? new PrincipalUser(principal) : new UnauthenticatedUser(),
          requestedVersion: requestedVersion?.trim(),
          requestedExtensions: Extensions.parseServiceParameter(
            c.req.header(HTTP_EXTENSION_HEADER),
          ),
        });
        const result = await transport.handle(request, context);
        // Read after the SDK ran: it records the extensions the request activated.
        const extensions = (): Record<string, string> =>
          context.activatedExtensions?.length
            ? { [HTTP_EXTENSION_HEADER]: context.activatedExtensions.join(',') }
            : {};
        if (Symbol.asyncIterator in result) return sseResponse(result, id, logger, extensions);
        for (const [name, value] of Object.entries(extensions())) c.header(name, value);
        if ('error' in result) return reply(c, id, redacted(result.error as JsonRpcError, logger));
        return c.json(result);
      } catch (error) {
        return reply(c, id, safeJsonRpcError(error, logger));
      }
    },
  );
  return app;
}

type Parsed = { request: Record<string, unknown> } | { error: JsonRpcError };

/** The body as a JSON-RPC request object, or the JSON-RPC error saying why it is not one. */
async function parsedBody(c: Context<AppEnv>): Promise<Parsed> {
  let request: unknown;
  try {
    request = JSON.parse(await c.req.text());
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable body';
    return { error: { code: A2A_ERROR_CODE.PARSE_ERROR, message: `Parse error: ${reason}` } };
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return invalid('the body must be one JSON-RPC request object (batches are not supported)');
  const { jsonrpc, method } = request as Record<string, unknown>;
  if (jsonrpc !== '2.0') return invalid('jsonrpc must be "2.0"');
  if (typeof method !== 'string' || method === '') return invalid('method must be a string');
  return { request: request as Record<string, unknown> };
}

const invalid = (reason: string): Parsed => ({
  error: { code: A2A_ERROR_CODE.INVALID_REQUEST, message: `Invalid Request: ${reason}` },
});

function idOf(request: Record<string, unknown>): JsonRpcId {
  const { id } = request;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** Errors go with HTTP 200 as the SDK's Express binding does, internal ones with 500. */
const reply = (c: Context<AppEnv>, id: JsonRpcId, error: JsonRpcError) =>
  c.json(errorResponse(id, error), error.code === A2A_ERROR_CODE.INTERNAL_ERROR ? 500 : 200);
