import { Document } from 'yaml';
import { type AlertmanagerConfigArgs, alertmanagerConfig } from './config.js';

/**
 * `alertmanager.yaml`: the configuration of `alertmanagerConfig(args)` as YAML text. Written as
 * YAML 1.1, which Alertmanager's parser speaks, so strings such as `02:00` come out quoted.
 */
export function renderAlertmanagerYaml(args: AlertmanagerConfigArgs): string {
  const document = new Document(alertmanagerConfig(args), { version: '1.1' });
  document.commentBefore = ` Generated from infra/alerting/alertmanager for stack ${args.stack}: do not edit.`;
  return document.toString({ lineWidth: 0 });
}
