import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { NO_CREDENTIALS_ANNOTATION } from '../../../policies/rules/kubernetes/secrets.js';
import {
  type AlertmanagerConfigArgs,
  alertmanagerMountedSecrets,
  renderAlertmanagerYaml,
  secretFile,
} from '../../alerting/alertmanager/index.js';

/** Name of the Secret whose `alertmanager.yaml` is the whole Alertmanager configuration. */
export const ALERTMANAGER_CONFIG_SECRET = 'alertmanager-aia';

export interface AlertmanagerSecretsArgs {
  readonly namespace: pulumi.Input<string>;
  /** The routing, without the files: they are set here, per area. */
  readonly routing: Omit<AlertmanagerConfigArgs, 'pagerdutyAreas' | 'pagerdutyKeyFile'> & {
    readonly areas: Readonly<Record<string, { readonly services: readonly string[] }>>;
  };
  /**
   * Events API v2 integration key per area (secret outputs of PagerDutyRouting), and the area
   * whose key also takes critical alerts no area claims. Leave out for a stack without PagerDuty:
   * critical alerts then go to Slack's critical channel.
   */
  readonly pagerduty?: {
    readonly keys: Readonly<Record<string, pulumi.Output<string>>>;
    readonly defaultArea: string;
  };
  readonly slackWebhookUrl?: pulumi.Output<string>;
  readonly smtpPassword?: pulumi.Output<string>;
}

/** The full Alertmanager arguments: each area's key file in the `alertmanager-pagerduty` Secret. */
export function alertmanagerArgs(args: AlertmanagerSecretsArgs): AlertmanagerConfigArgs {
  const { areas, ...routing } = args.routing;
  if (args.pagerduty === undefined) return { ...routing, pagerduty: false };
  return {
    ...routing,
    pagerdutyKeyFile: secretFile('alertmanager-pagerduty', args.pagerduty.defaultArea),
    pagerdutyAreas: Object.fromEntries(
      Object.entries(areas).map(([area, { services }]) => [
        area,
        { services, keyFile: secretFile('alertmanager-pagerduty', area) },
      ]),
    ),
  };
}

/**
 * The Alertmanager configuration and the receivers' credentials, as Secrets of the monitoring
 * namespace that kube-prometheus-stack mounts (`alertmanagerConfig.secretName`, `mountedSecrets`).
 * A receiver whose credential is not configured has no file: Alertmanager logs its failures, and
 * the dead-man's switch and PagerDuty (where configured) still work.
 */
export class AlertmanagerSecrets extends pulumi.ComponentResource {
  readonly configSecretName: string;
  readonly mountedSecrets: readonly string[];

  constructor(name: string, args: AlertmanagerSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:AlertmanagerSecrets', name, {}, opts);
    const config = alertmanagerArgs(args);
    const secret = (
      role: string,
      secretName: string,
      stringData: Record<string, pulumi.Input<string>>,
      annotations?: Record<string, string>,
    ) =>
      new k8s.core.v1.Secret(
        `${name}-${role}`,
        {
          metadata: { name: secretName, namespace: args.namespace, annotations },
          type: 'Opaque',
          stringData,
        },
        { parent: this },
      );
    secret(
      'config',
      ALERTMANAGER_CONFIG_SECRET,
      { 'alertmanager.yaml': pulumi.secret(renderAlertmanagerYaml(config)) },
      {
        [NO_CREDENTIALS_ANNOTATION]:
          'the chart reads its configuration from a Secret; credentials are *_file references to the Secrets below',
      },
    );
    if (args.pagerduty) secret('pagerduty', 'alertmanager-pagerduty', { ...args.pagerduty.keys });
    secret(
      'slack',
      'alertmanager-slack',
      args.slackWebhookUrl ? { 'webhook-url': args.slackWebhookUrl } : {},
    );
    secret('smtp', 'alertmanager-smtp', args.smtpPassword ? { password: args.smtpPassword } : {});
    this.configSecretName = ALERTMANAGER_CONFIG_SECRET;
    this.mountedSecrets = alertmanagerMountedSecrets(config);
    this.registerOutputs({});
  }
}
