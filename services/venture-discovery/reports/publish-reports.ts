import { type PublishedReport, publishReport } from './report-archive.js';
import { opportunityReportDocument, runReportDocument } from './report-document.js';
import { type ReportRef, reportId } from './report-ids.js';
import type { OpportunityInput, RunSummaryInput } from './report-input.js';
import type { ReportStore } from './report-store.js';

/** What the pipeline gives the reports: the feature flag's value and where reports go. */
export interface ReportPublishing {
  /** `STRUCTURED_REPORTS_ENABLED`: off, no report is built or stored. */
  readonly enabled: boolean;
  readonly store: ReportStore;
}

/** A report that could not be published, and why (the others are published all the same). */
export interface ReportFailure {
  readonly id: string;
  readonly reason: string;
}

export type PublishOutcome =
  | { readonly status: 'disabled' }
  | {
      readonly status: 'published';
      readonly reports: readonly PublishedReport[];
      readonly failures: readonly ReportFailure[];
    };

async function attempt(
  ref: ReportRef,
  publish: () => Promise<PublishedReport>,
  reports: PublishedReport[],
  failures: ReportFailure[],
) {
  try {
    reports.push(await publish());
  } catch (error) {
    failures.push({
      id: reportId(ref),
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Publishes the reports of a finished discovery run: one per opportunity, then the run's own
 * (which lists them). Each is validated and stored as a new version only when it changed; one
 * that fails (invalid, storage error) is reported in `failures` and does not stop the others.
 * With reports disabled, nothing is built.
 *
 * @example
 * const outcome = await publishReports(reports, { run, opportunities });
 * if (outcome.status === 'published') for (const f of outcome.failures) log.warn(f, 'report not published');
 */
export async function publishReports(
  { enabled, store }: ReportPublishing,
  { run, opportunities }: { run: RunSummaryInput; opportunities: readonly OpportunityInput[] },
): Promise<PublishOutcome> {
  if (!enabled) return { status: 'disabled' };
  const reports: PublishedReport[] = [];
  const failures: ReportFailure[] = [];
  for (const opportunity of opportunities) {
    const ref: ReportRef = { kind: 'opportunity', subject: opportunity.id };
    await attempt(
      ref,
      () =>
        publishReport(store, ref, opportunity.run_id, (version) =>
          opportunityReportDocument(opportunity, version),
        ),
      reports,
      failures,
    );
  }
  const ref: ReportRef = { kind: 'run', subject: run.id };
  await attempt(
    ref,
    () => publishReport(store, ref, run.id, (version) => runReportDocument(run, version)),
    reports,
    failures,
  );
  return { status: 'published', reports, failures };
}
