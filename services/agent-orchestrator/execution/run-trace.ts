import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { Database } from '../../platform/db.js';
import { activeTraceContext, type TraceContext } from '../../platform/events/index.js';
import type { HeldRun } from './run-queue.js';

const tracer = trace.getTracer('agent-orchestrator');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The trace a new task joins, for its metadata: the active span's (the request's, or the run
 * of the parent that created it); without one, a span of its own submission starts the trace.
 */
export function taskTrace(taskId: string): { trace: TraceContext } | Record<string, never> {
  const active = activeTraceContext();
  if (active) return { trace: active };
  const span = tracer.startSpan(
    'agent.submit',
    { attributes: { 'a2a.task.id': taskId } },
    ROOT_CONTEXT,
  );
  span.end();
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return {};
  const flags = traceFlags.toString(16).padStart(2, '0');
  return { trace: { traceparent: `00-${traceId}-${spanId}-${flags}` } };
}

/** The context of a W3C `traceparent`, or the root context when there is none or it is malformed. */
function contextOf(traceparent: string | null | undefined): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return ROOT_CONTEXT;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/**
 * Runs one step of a task in a span that continues the task's trace (recorded on the task when
 * it was sent, or when its parent's run created it): a whole delegation tree is one trace, each
 * run a span under the run that delegated it.
 */
export async function inRunSpan<T>(
  sql: Database,
  held: HeldRun,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const [row] = await sql<{ traceparent: string | null; agent_id: string | null }[]>`
    select metadata #>> '{trace,traceparent}' as traceparent, agent_id
    from a2a_tasks where id = ${held.taskId}`;
  return tracer.startActiveSpan(
    `agent.${held.step}`,
    {
      attributes: {
        'a2a.task.id': held.taskId,
        'aia.agent.id': row?.agent_id ?? '',
        'aia.run.step': held.step,
        'aia.run.attempt': held.attempt,
      },
    },
    contextOf(row?.traceparent),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
