import type { Check } from './check.js';
import type { RestoreDrillReport } from './restore-drill.js';
import { formatDuration, formatMicros } from './wal-position.js';

const figure = (micros: bigint | undefined): string =>
  micros === undefined ? 'not measured' : formatDuration(micros);

/** The drill's report for people: what ran, RTO and RPO, each check, the verdict. */
export function formatRestoreReport(report: RestoreDrillReport): string {
  const { counts } = report;
  const lines = [
    `Restore drill: point-in-time recovery of the ledger on PostgreSQL ${report.serverVersion}`,
    '',
    `  load           ${counts.acknowledged} transfers acknowledged by POST /v1/transfers in ${report.loadSeconds.toFixed(1)} s (${counts.refused} refused, ${counts.unanswered} unanswered)`,
    `  base backup    pg_basebackup under load in ${report.backupSeconds.toFixed(1)} s, verified by pg_verifybackup against the WAL archive`,
    `  WAL archive    ${counts.archivedSegments} segments when the load stopped`,
    `  target time    ${formatMicros(report.targetUs)}`,
    `  transfers      ${counts.sourceTransfers} on the source, ${counts.restoredTransfers} restored; acknowledged: ${counts.acknowledgedBefore} before the target, ${counts.acknowledgedAfter} after (${counts.reordered} of these stamped before it but behind the stopping point in the WAL)`,
    '',
    `  RTO            ${figure(report.rtoUs)}  (restore start → checks passed; accepting queries after ${figure(report.acceptingUs)})`,
    `  RPO            ${figure(report.rpoUs)}  (target time − commit time of the last transaction recovered)`,
    `  archive lag    ${figure(report.archiveExposureUs)}  (load stop − newest commit already archived: what losing the primary at that moment would have cost)`,
    '',
    formatChecks(report.checks),
    report.passed
      ? 'Restore drill passed.'
      : `Restore drill FAILED${report.restoreFailure ? `: ${report.restoreFailure}` : ''}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** One line per check, PASS or FAIL first. */
export function formatChecks(checks: readonly Check[]): string {
  return `${checks.map((check) => `  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`).join('\n')}\n`;
}
