import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import type { PagerDutyRouting, PagerDutyRoutingArgs } from './pagerduty-routing.js';

const SCHEDULE = 'pagerduty:index/schedule:Schedule';
const POLICY = 'pagerduty:index/escalationPolicy:EscalationPolicy';
const SERVICE = 'pagerduty:index/service:Service';
const INTEGRATION = 'pagerduty:index/serviceIntegration:ServiceIntegration';

const keyOf = (name: string) => `key-${name}-0123456789abcdef`;

/** PagerDuty computes the integration key; every other resource returns its inputs. */
const providerOutputs = ({ type, name }: RecordedResource): Record<string, unknown> =>
  type === INTEGRATION ? { integrationKey: keyOf(name) } : {};

const args: PagerDutyRoutingArgs = {
  stack: 'production',
  areas: {
    platform: { description: 'Gateway, identity and shared infrastructure.' },
    ledger: { description: 'Token economy and the ledger.' },
    agents: { description: 'Agent orchestration.' },
    data: { description: 'Data stores and pipelines.', schedule: 'data' },
  },
  schedules: {
    primary: {
      timeZone: 'UTC',
      layers: [
        {
          name: 'weekly',
          start: '2025-01-06T09:00:00Z',
          rotationTurnLengthSeconds: 604_800,
          users: ['PUSER01', 'PUSER02'],
        },
      ],
    },
    data: {
      timeZone: 'Europe/Berlin',
      layers: [
        {
          name: 'daily',
          start: '2025-01-06T08:00:00+01:00',
          rotationTurnLengthSeconds: 86_400,
          users: ['PUSER03'],
        },
      ],
    },
    managers: {
      timeZone: 'UTC',
      layers: [
        {
          name: 'weekly',
          start: '2025-01-06T09:00:00Z',
          rotationTurnLengthSeconds: 604_800,
          users: ['PLEAD01'],
        },
      ],
    },
  },
  escalation: { ruleDelayMinutes: 15, schedule: 'primary', fallback: { schedule: 'managers' } },
  labels: { owner: 'platform', environment: 'production', 'managed-by': 'pulumi' },
};

describe('PagerDutyRouting (mocks)', () => {
  let recorded: RecordedResource[];
  let routing: PagerDutyRouting;
  const secretOutputs = new Map<string, unknown>();

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { PagerDutyRouting } = await import('./pagerduty-routing.js');
    const recordSecretOutputs: pulumi.ResourceTransformation = ({ name, opts }) => {
      secretOutputs.set(name, (opts as pulumi.CustomResourceOptions).additionalSecretOutputs);
      return undefined;
    };
    routing = new PagerDutyRouting('pagerduty', args, { transformations: [recordSecretOutputs] });
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
  });

  it('creates one schedule per entry, layers as configured', () => {
    const schedules = ofType(recorded, SCHEDULE);
    expect(schedules.map((s) => s.plain.name).sort()).toEqual([
      'aia-production-data',
      'aia-production-managers',
      'aia-production-primary',
    ]);
    expect(schedules.find((s) => s.name === 'pagerduty-primary-schedule')?.plain).toMatchObject({
      timeZone: 'UTC',
      layers: [
        {
          name: 'weekly',
          start: '2025-01-06T09:00:00Z',
          rotationVirtualStart: '2025-01-06T09:00:00Z',
          rotationTurnLengthSeconds: 604_800,
          users: ['PUSER01', 'PUSER02'],
        },
      ],
    });
  });

  it('creates one service per area, each on its own escalation policy', () => {
    const services = ofType(recorded, SERVICE);
    expect(services.map((s) => s.plain.name).sort()).toEqual([
      'aia-production-agents',
      'aia-production-data',
      'aia-production-ledger',
      'aia-production-platform',
    ]);
    for (const area of Object.keys(args.areas)) {
      const service = services.find((s) => s.name === `pagerduty-${area}-service`);
      expect(service?.plain.escalationPolicy).toBe(`pagerduty-${area}-escalation-id`);
    }
  });

  it('escalates from the area’s schedule to the fallback after the rule delay', () => {
    const policy = (area: string) =>
      ofType(recorded, POLICY).find((p) => p.name === `pagerduty-${area}-escalation`)?.plain;
    expect(policy('ledger')).toMatchObject({
      name: 'aia-production-ledger',
      numLoops: 2,
      rules: [
        {
          escalationDelayInMinutes: 15,
          targets: [{ type: 'schedule_reference', id: 'pagerduty-primary-schedule-id' }],
        },
        {
          escalationDelayInMinutes: 15,
          targets: [{ type: 'schedule_reference', id: 'pagerduty-managers-schedule-id' }],
        },
      ],
    });
    expect(policy('data')?.rules).toMatchObject([
      { targets: [{ id: 'pagerduty-data-schedule-id' }] },
      { targets: [{ id: 'pagerduty-managers-schedule-id' }] },
    ]);
  });

  it('acknowledges, auto-resolves and sets urgency from the event severity', () => {
    for (const service of ofType(recorded, SERVICE)) {
      expect(service.plain).toMatchObject({
        acknowledgementTimeout: '1800',
        autoResolveTimeout: '14400',
        alertCreation: 'create_alerts_and_incidents',
        incidentUrgencyRule: { type: 'constant', urgency: 'severity_based' },
      });
      expect(service.plain.description).toContain('owner=platform, environment=production');
    }
  });

  it('gives every service an Events API v2 integration for Alertmanager and one for Cloud Monitoring', () => {
    const integrations = ofType(recorded, INTEGRATION);
    expect(integrations).toHaveLength(8);
    for (const area of Object.keys(args.areas)) {
      expect(integrations.find((i) => i.name === `pagerduty-${area}-events`)?.plain).toEqual({
        name: 'Alertmanager (production)',
        service: `pagerduty-${area}-service-id`,
        type: 'events_api_v2_inbound_integration',
      });
      expect(
        integrations.find((i) => i.name === `pagerduty-${area}-cloud-monitoring`)?.plain,
      ).toEqual({
        name: 'Cloud Monitoring (production)',
        service: `pagerduty-${area}-service-id`,
        type: 'events_api_v2_inbound_integration',
      });
    }
  });

  it("outputs each area's Cloud Monitoring key as a secret of its own", async () => {
    expect(Object.keys(routing.cloudMonitoringKeys).sort()).toEqual(
      Object.keys(routing.integrationKeys).sort(),
    );
    for (const [area, key] of Object.entries(routing.cloudMonitoringKeys)) {
      expect(secretOutputs.get(`pagerduty-${area}-cloud-monitoring`)).toEqual(['integrationKey']);
      expect(await pulumi.isSecret(key)).toBe(true);
      expect(await resolve(key)).toBe(keyOf(`pagerduty-${area}-cloud-monitoring`));
    }
  });

  it('outputs each area’s integration key as a secret, and keeps it secret in the state', async () => {
    for (const area of Object.keys(args.areas)) {
      expect(secretOutputs.get(`pagerduty-${area}-events`)).toEqual(['integrationKey']);
    }
    expect(Object.keys(routing.integrationKeys).sort()).toEqual([
      'agents',
      'data',
      'ledger',
      'platform',
    ]);
    for (const [area, key] of Object.entries(routing.integrationKeys)) {
      expect(await pulumi.isSecret(key)).toBe(true);
      expect(await resolve(key)).toBe(keyOf(`pagerduty-${area}-events`));
    }
    const component = recorded.find((r) => r.type === 'aia:platform:PagerDutyRouting');
    expect(component).toBeDefined();
  });

  it('outputs service and schedule ids in plain text', async () => {
    expect(await resolve(routing.serviceIds.ledger as pulumi.Output<string>)).toBe(
      'pagerduty-ledger-service-id',
    );
    expect(await pulumi.isSecret(routing.serviceIds.ledger as pulumi.Output<string>)).toBe(false);
    expect(await resolve(routing.scheduleIds.managers as pulumi.Output<string>)).toBe(
      'pagerduty-managers-schedule-id',
    );
  });
});
