import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { ValidationError } from '../../platform/errors.js';
import { requestFingerprint } from '../../platform/idempotency/fingerprint.js';
import { REPLAYED_HEADER } from '../../platform/idempotency/idempotent.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
  problemResponses,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { COMPONENTS, type Component } from '../domain/weights.js';
import type { DiscoveryContext } from '../operations/discovery-context.js';
import {
  decodeCursor,
  opportunityPage,
  opportunityWithEvidence,
} from '../operations/read-opportunities.js';
import { recordFeedback } from '../operations/record-feedback.js';
import {
  FeedbackBodySchema,
  FeedbackSchema,
  IdParams,
  OpportunityPageSchema,
  OpportunityQuery,
  OpportunitySchema,
} from './schemas.js';
import { opportunitySummaryView, opportunityView } from './views.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (ventures:read, or ventures:write for feedback)',
  404: 'No such opportunity',
  409: 'An Idempotency-Key was reused with another request',
  422: 'A field is invalid: each field and the reason are listed',
});
const tags = ['opportunities'];

/** Opportunities: filtered and sorted lists, one with its evidence and breakdown, feedback. */
export function addOpportunityRoutes(app: OpenAPIHono<AppEnv>, context: DiscoveryContext): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/opportunities',
      tags,
      summary:
        'Opportunities best first by score or a component (sort=), filtered by min_score, min_<component>, run_id, status',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:read')],
      request: { query: OpportunityQuery },
      responses: { 200: jsonResponse(OpportunityPageSchema, 'One page'), ...PROBLEMS },
    }),
    async (c) => {
      const q = c.req.valid('query') as Record<string, unknown> & {
        min_score?: number;
        run_id?: string;
        status?: 'open' | 'accepted' | 'rejected';
        sort: Parameters<typeof opportunityPage>[1]['sort'];
        limit: number;
        cursor?: string;
      };
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && !after)
        throw new ValidationError([
          { field: 'cursor', reason: 'is not the next_cursor of a previous page' },
        ]);
      const minComponents: Partial<Record<Component, number>> = {};
      for (const c of COMPONENTS) {
        const min = q[`min_${c}`];
        if (typeof min === 'number') minComponents[c] = min;
      }
      const page = await opportunityPage(context.sql, {
        sort: q.sort,
        limit: q.limit,
        minComponents,
        ...(q.min_score === undefined ? {} : { minScore: q.min_score }),
        ...(q.run_id === undefined ? {} : { runId: q.run_id }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(after === undefined ? {} : { after }),
      });
      return c.json({ items: page.items.map(opportunitySummaryView), next_cursor: page.next });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/opportunities/{id}',
      tags,
      summary:
        "An opportunity: its evidence (the signals behind it, linked) and its score's breakdown (value, weight, contribution, why)",
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:read')],
      request: { params: IdParams },
      responses: { 200: jsonResponse(OpportunitySchema, 'The opportunity'), ...PROBLEMS },
    }),
    async (c) => {
      const { opportunity, evidence } = await opportunityWithEvidence(
        context.sql,
        c.req.valid('param').id,
      );
      return c.json(opportunityView(opportunity, evidence));
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/opportunities/{id}/feedback',
      tags,
      summary:
        "A verdict (accept or reject, with a reason): sets its status and moves the next run's weights",
      security: BEARER_SECURITY,
      middleware: [requireScopes('ventures:write')],
      request: {
        params: IdParams,
        headers: IdempotencyHeadersSchema,
        body: jsonBodyOf(FeedbackBodySchema),
      },
      responses: { 201: jsonResponse(FeedbackSchema, 'Recorded'), ...PROBLEMS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const subject = c.get('principal')?.subject ?? 'anonymous';
      const key = c.req.valid('header')['idempotency-key'];
      const { reply, replayed } = await recordFeedback(
        context,
        c.req.valid('param').id,
        input,
        subject,
        key === undefined
          ? undefined
          : { subject, key, fingerprint: requestFingerprint(c.req.method, c.req.path, input) },
      );
      return c.json(reply.body, 201, replayed ? REPLAYED_HEADER : {});
    },
  );
}
