import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import type { EpochContext } from '../operations/epoch-context.js';
import { holdEpochFor, releaseEpochFor } from '../operations/hold-epoch.js';
import { epochNamed, epochPage, epochWithTable, payoutPreview } from '../operations/read-epochs.js';
import {
  EpochPageQuery,
  EpochPageSchema,
  EpochParamsSchema,
  EpochSummarySchema,
  PayoutPreviewSchema,
  PayoutTableSchema,
  PreviewParamsSchema,
} from './epoch-schemas.js';
import { epochSummaryView, payoutLinesView, previewView } from './epoch-views.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (performance:read; performance:admin to hold or release)',
  404: 'The epoch has no payout table',
  409: 'The epoch is paid, skipped or refused (hold), or not held (release)',
});
const read = [requireScopes('performance:read')];
const admin = [requireScopes('performance:admin')];

/**
 * Epochs and their payouts: the list, an epoch's payout table, a dry-run (the table before it
 * is paid; `current` for the epoch now running), all with `performance:read`; hold and release
 * with `performance:admin`.
 */
export function addEpochRoutes(app: OpenAPIHono<AppEnv>, context: EpochContext): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/epochs',
      tags: ['epochs'],
      summary: 'Epochs with a payout table or a hold, newest first',
      security: BEARER_SECURITY,
      middleware: read,
      request: { query: EpochPageQuery },
      responses: { 200: jsonResponse(EpochPageSchema, 'One page, newest first'), ...PROBLEMS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await epochPage(context, {
        limit,
        ...(cursor === undefined ? {} : { before: cursor }),
      });
      return c.json({
        epochs: page.epochs.map(epochSummaryView),
        next_cursor: page.next === null ? null : String(page.next),
      });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/epochs/{n}',
      tags: ['epochs'],
      summary: "An epoch's payout table: each agent's score, share and amount, and the rule",
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: EpochParamsSchema },
      responses: { 200: jsonResponse(PayoutTableSchema, 'The payout table'), ...PROBLEMS },
    }),
    async (c) => {
      const { row, lines } = await epochWithTable(context, c.req.valid('param').n);
      return c.json({ ...epochSummaryView(row), payouts: payoutLinesView(lines, row.payable) });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/epochs/{n}/dry-run',
      tags: ['epochs'],
      summary:
        'What an epoch pays: its stored table once built, else the table as it would be built now (n may be current)',
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: PreviewParamsSchema },
      responses: { 200: jsonResponse(PayoutPreviewSchema, 'The payout table'), ...PROBLEMS },
    }),
    async (c) => {
      const preview = await payoutPreview(context, epochNamed(context, c.req.valid('param').n));
      if (preview.built) return c.json(previewView(preview.built, preview.row));
      const row = preview.row as NonNullable<typeof preview.row>;
      return c.json({
        ...epochSummaryView(row),
        dry_run: true as const,
        payouts: payoutLinesView(preview.lines, row.payable),
      });
    },
  );
  for (const action of ['hold', 'release'] as const)
    addRoute(
      app,
      createRoute({
        method: 'post',
        path: `/epochs/{n}/${action}`,
        tags: ['epochs'],
        summary:
          action === 'hold'
            ? 'Hold an epoch (not ended yet, or pending): it is not paid until released'
            : 'Release a held epoch (paid on the next pass), or rebuild a refused one',
        security: BEARER_SECURITY,
        middleware: admin,
        request: { params: EpochParamsSchema },
        responses: { 200: jsonResponse(EpochSummarySchema, 'The epoch now'), ...PROBLEMS },
      }),
      async (c) => {
        const { n } = c.req.valid('param');
        const row =
          action === 'hold'
            ? await holdEpochFor(context, n, c.get('principal')?.subject ?? 'unknown')
            : await releaseEpochFor(context, n);
        return c.json(epochSummaryView(row));
      },
    );
}
