import * as pagerduty from '@pulumi/pagerduty';
import * as pulumi from '@pulumi/pulumi';
import type { StackName } from '../../../services/catalog.js';
import {
  type AreaSettings,
  describeLabels,
  type EscalationSettings,
  escalationRules,
  pagerdutyName,
  type ScheduleSettings,
  type SupportHours,
  scheduleLayers,
  urgencySettings,
  validateRouting,
} from './settings.js';

/** A record with the same keys, each value made from its key and value. */
const perKey = <T, R>(record: Readonly<Record<string, T>>, make: (key: string, value: T) => R) =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, make(key, value)]));

export interface PagerDutyRoutingArgs {
  readonly stack: StackName;
  /** Areas by name (`platform`, `ledger`, `agents`, `data`): one PagerDuty service each. */
  readonly areas: Readonly<Record<string, AreaSettings>>;
  /** On-call schedules by name. */
  readonly schedules: Readonly<Record<string, ScheduleSettings>>;
  readonly escalation: EscalationSettings;
  /** Written into descriptions: PagerDuty services and policies take no labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Seconds before an acknowledged incident triggers again. Default 1800. */
  readonly acknowledgementTimeoutSeconds?: number;
  /** Seconds before an open incident resolves by itself, should a resolve never come. Default 14400. */
  readonly autoResolveTimeoutSeconds?: number;
  /** Default: none, urgency from the event's severity at all hours. */
  readonly supportHours?: SupportHours;
}

/**
 * PagerDuty for Alertmanager and Cloud Monitoring: a schedule per entry of `schedules`; per area
 * an escalation policy (the area's schedule, then the fallback), a service and two Events API v2
 * integrations, one whose key Alertmanager's `routing_key_file` must hold, one for Cloud
 * Monitoring's notification channel. Throws, saying why, on routing that pages nobody.
 */
export class PagerDutyRouting extends pulumi.ComponentResource {
  /** Events API v2 integration key per area, for Alertmanager: secret outputs. */
  readonly integrationKeys: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * A second Events API v2 integration key per area, for Cloud Monitoring's `pagerduty`
   * notification channels (docs/logging.md): its own key, so either sender can be rotated or
   * revoked alone and an incident names which one raised it. Secret outputs.
   */
  readonly cloudMonitoringKeys: Readonly<Record<string, pulumi.Output<string>>>;
  readonly serviceIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly escalationPolicyIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly scheduleIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: PagerDutyRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    validateRouting(args);
    super('aia:platform:PagerDutyRouting', name, {}, opts);
    const { stack, escalation } = args;
    const managed = `Managed by Pulumi (${describeLabels(args.labels)}).`;

    this.scheduleIds = perKey(
      args.schedules,
      (key, schedule) =>
        new pagerduty.Schedule(
          `${name}-${key}-schedule`,
          {
            name: pagerdutyName(stack, key),
            description: `On-call schedule ${key}. ${managed}`,
            timeZone: schedule.timeZone,
            layers: scheduleLayers(schedule),
          },
          { parent: this },
        ).id,
    );

    const services = perKey(args.areas, (area, settings) => {
      const policy = new pagerduty.EscalationPolicy(
        `${name}-${area}-escalation`,
        {
          name: pagerdutyName(stack, area),
          description: `Escalation for ${area}: on-call, then fallback. ${managed}`,
          numLoops: escalation.numLoops ?? 2,
          rules: escalationRules(
            escalation,
            settings.schedule ?? escalation.schedule,
            this.scheduleIds,
          ),
        },
        { parent: this },
      );
      const service = new pagerduty.Service(
        `${name}-${area}-service`,
        {
          name: pagerdutyName(stack, area),
          description: `${settings.description} ${managed}`,
          escalationPolicy: policy.id,
          acknowledgementTimeout: String(args.acknowledgementTimeoutSeconds ?? 1800),
          autoResolveTimeout: String(args.autoResolveTimeoutSeconds ?? 14400),
          alertCreation: 'create_alerts_and_incidents',
          ...urgencySettings(args.supportHours),
        },
        { parent: this },
      );
      const integration = new pagerduty.ServiceIntegration(
        `${name}-${area}-events`,
        {
          name: `Alertmanager (${stack})`,
          service: service.id,
          type: 'events_api_v2_inbound_integration',
        },
        { parent: this, additionalSecretOutputs: ['integrationKey'] },
      );
      const cloudMonitoring = new pagerduty.ServiceIntegration(
        `${name}-${area}-cloud-monitoring`,
        {
          name: `Cloud Monitoring (${stack})`,
          service: service.id,
          type: 'events_api_v2_inbound_integration',
        },
        { parent: this, additionalSecretOutputs: ['integrationKey'] },
      );
      return { policy, service, integration, cloudMonitoring };
    });

    this.escalationPolicyIds = perKey(services, (_, { policy }) => policy.id);
    this.serviceIds = perKey(services, (_, { service }) => service.id);
    this.integrationKeys = perKey(services, (_, { integration }) =>
      pulumi.secret(integration.integrationKey),
    );
    this.cloudMonitoringKeys = perKey(services, (_, { cloudMonitoring }) =>
      pulumi.secret(cloudMonitoring.integrationKey),
    );
    this.registerOutputs({
      integrationKeys: this.integrationKeys,
      cloudMonitoringKeys: this.cloudMonitoringKeys,
      serviceIds: this.serviceIds,
      escalationPolicyIds: this.escalationPolicyIds,
      scheduleIds: this.scheduleIds,
    });
  }
}
