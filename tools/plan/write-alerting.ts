import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertingNamespaces } from '../../infra/alerting/namespaces.js';
import { renderRuleFiles } from '../../infra/alerting/rules/index.js';
import { ALERTMANAGER_CONFIG_SECRET } from '../../infra/components/alerting/index.js';
import type { StackName } from '../../services/catalog.js';
import type { RecordedResource } from './recorder.js';
import { unwrapSecrets } from './secrets.js';

/**
 * Writes what promtool and amtool check: `<dir>/prometheus/rules.yaml` (plain `groups:`, the same
 * rules the PrometheusRules carry), `<dir>/prometheus/tests.yaml` (promtool unit tests generated
 * from the same thresholds) and `<dir>/alertmanager/alertmanager.yaml` (the configuration the
 * program put in its Secret). `namespaces` are the stack's (its `namespaces` output), so the
 * files select the series the deployed rules select. Returns the files written.
 */
export async function writeAlertingFiles(
  dir: string,
  stack: StackName,
  resources: readonly RecordedResource[],
  namespaces?: AlertingNamespaces,
): Promise<string[]> {
  const written: string[] = [];
  const write = async (folder: string, file: string, text: string) => {
    await mkdir(join(dir, folder), { recursive: true });
    await writeFile(join(dir, folder, file), text);
    written.push(join(dir, folder, file));
  };
  for (const [file, text] of Object.entries(renderRuleFiles(stack, { namespaces })))
    await write('prometheus', file, text);
  const configSecret = resources
    .filter((resource) => resource.type === 'kubernetes:core/v1:Secret')
    .map(
      (resource) =>
        unwrapSecrets(resource.inputs) as {
          metadata?: { name?: string };
          stringData?: Record<string, string>;
        },
    )
    .find((secret) => secret.metadata?.name === ALERTMANAGER_CONFIG_SECRET);
  const alertmanagerYaml = configSecret?.stringData?.['alertmanager.yaml'];
  if (alertmanagerYaml) await write('alertmanager', 'alertmanager.yaml', alertmanagerYaml);
  return written;
}
