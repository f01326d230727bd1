import { readStackConfig } from '../plan/stack-file.js';

/**
 * The Pulumi state backend of a stack: `gs://<project>-pulumi-state`, the bucket the first deploy
 * creates in the stack's project (docs/operations.md, First deploy), `<project>` being
 * `gcp:project` of `Pulumi.<stack>.yaml`. The pull-request workflow's preview logs in to it; the
 * release workflow's environments hold the same URL as `PULUMI_BACKEND_URL`.
 */
export function stateBackendUrl(root: string, stack: string): string {
  const project = readStackConfig(root, stack).config['gcp:project'];
  if (!project) throw new Error(`Pulumi.${stack}.yaml sets no gcp:project`);
  return `gs://${project}-pulumi-state`;
}
