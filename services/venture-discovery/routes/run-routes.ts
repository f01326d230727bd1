import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { BadRequestError, ValidationError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonResponse,
  problemResponses,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBodyIfAny } from '../../platform/validation.js';
import { fieldIssuesFromZod } from '../../platform/zod-issues.js';
import type { DiscoveryContext } from '../operations/discovery-context.js';
import { getRun, requestRun, runPage } from '../operations/runs.js';
import { IdParams, RunListQuery, RunPageSchema, RunRequestSchema, RunSchema } from './schemas.js';
import { runView } from './views.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (ventures:read, or ventures:write to start a run)',
  404: 'No such run',
  422: 'A field is invalid (a source id that does not exist names its index)',
});
const tags = ['runs'];

/**
 * Discovery runs: `POST /runs` queues one, `GET /runs` lists them (the scheduled ones too),
 * `GET /runs/{id}` shows one's progress.
 */
export function addRunRoutes(app: OpenAPIHono<AppEnv>, context: DiscoveryContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/runs',
      tags,
      summary:
        'Queues a discovery run over every enabled source (or source_ids); one run per Idempotency-Key',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:write'), requireJsonBodyIfAny()],
      request: {
        headers: IdempotencyHeadersSchema,
        body: {
          content: { 'application/json': { schema: RunRequestSchema } },
          required: false,
        },
      },
      responses: {
        202: jsonResponse(RunSchema, 'Queued; follow it at /runs/{id}'),
        200: jsonResponse(RunSchema, 'The run this Idempotency-Key queued before'),
        ...PROBLEMS,
      },
    }),
    async (c) => {
      const key = c.req.valid('header')['idempotency-key'];
      const text = await c.req.text();
      const body = text.trim() === '' ? {} : parseRunRequest(text);
      const { run, created } = await requestRun(context, {
        ...(key === undefined ? {} : { key }),
        ...(body.source_ids === undefined ? {} : { sourceIds: body.source_ids }),
      });
      c.header('Location', `runs/${run.id}`);
      return c.json(runView(run), created ? 202 : 200);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/runs',
      tags,
      summary:
        'Runs newest first, queued by the API or the schedule, with their state and progress',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:read')],
      request: { query: RunListQuery },
      responses: { 200: jsonResponse(RunPageSchema, 'One page of runs'), ...PROBLEMS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const { runs, nextCursor } = await runPage(context, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({ items: runs.map(runView), next_cursor: nextCursor });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/runs/{id}',
      tags,
      summary:
        "A run's state and progress (fetched, clustered, scored), each source's outcome, the weights it used",
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:read')],
      request: { params: IdParams },
      responses: { 200: jsonResponse(RunSchema, 'The run'), ...PROBLEMS },
    }),
    async (c) => c.json(runView(await getRun(context, c.req.valid('param').id))),
  );
}

/** The optional body of `POST /runs`: 400 for malformed JSON, 422 naming a bad field. */
function parseRunRequest(text: string): { source_ids?: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
  const parsed = RunRequestSchema.safeParse(value);
  if (!parsed.success) throw new ValidationError(fieldIssuesFromZod(parsed.error, '(body)'));
  return parsed.data;
}
