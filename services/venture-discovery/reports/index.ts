/** What the rest of venture-discovery uses of the reports (module wiring, the pipeline). */
export {
  type ChosenReportStore,
  createReportStore,
  LOCAL_REPORTS_DIRECTORY,
} from './create-report-store.js';
export { type PublishOutcome, publishReports, type ReportPublishing } from './publish-reports.js';
export type {
  EntityInput,
  EvidenceSignalInput,
  OpportunityInput,
  RunSourceInput,
  RunSummaryInput,
  ScoreComponentInput,
  SourceFailureInput,
} from './report-input.js';
export { addReportRoutes, type ReportRoutesDeps } from './report-routes.js';
export type { ReportStore } from './report-store.js';
