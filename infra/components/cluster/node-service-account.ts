/**
 * The only project roles GKE nodes need (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa),
 * keyed by stable names so adding one renames none. Workloads get their own identities through
 * Workload Identity, never these.
 */
export const nodeServiceAccountRoles = {
  'log-writer': 'roles/logging.logWriter',
  'metric-writer': 'roles/monitoring.metricWriter',
  'monitoring-viewer': 'roles/monitoring.viewer',
  'metadata-writer': 'roles/stackdriver.resourceMetadata.writer',
  'autoscaling-metrics-writer': 'roles/autoscaling.metricsWriter',
  'artifact-reader': 'roles/artifactregistry.reader',
} as const;

/**
 * The node service account's id, `<cluster>-nodes`; throws with a sentence when that breaks the
 * account id rules (6–30 characters, lower-case letters, digits and hyphens, starting with a letter).
 */
export function nodeServiceAccountId(clusterName: string): string {
  const accountId = `${clusterName}-nodes`;
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(accountId)) {
    throw new Error(
      `The node service account id "${accountId}" must be 6 to 30 lower-case letters, digits or ` +
        'hyphens starting with a letter; choose a shorter cluster name.',
    );
  }
  return accountId;
}
