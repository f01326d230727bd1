import { describe, expect, it } from 'vitest';
import {
  type EscalationSettings,
  escalationRules,
  urgencySettings,
  validateRouting,
} from './index.js';

const schedules = {
  primary: {
    timeZone: 'UTC',
    layers: [
      {
        name: 'weekly',
        start: '2025-01-06T09:00:00Z',
        rotationTurnLengthSeconds: 604_800,
        users: ['PUSER01'],
      },
    ],
  },
};
const escalation: EscalationSettings = {
  ruleDelayMinutes: 10,
  schedule: 'primary',
  fallback: { users: ['PLEAD01', 'PLEAD02'] },
};
const areas = { platform: { description: 'Platform.' } };

describe('PagerDuty settings', () => {
  it('escalates to fallback users when the fallback names users', () => {
    expect(escalationRules(escalation, 'primary', { primary: 'PSCHED1' })).toEqual([
      { escalationDelayInMinutes: 10, targets: [{ type: 'schedule_reference', id: 'PSCHED1' }] },
      {
        escalationDelayInMinutes: 10,
        targets: [
          { type: 'user_reference', id: 'PLEAD01' },
          { type: 'user_reference', id: 'PLEAD02' },
        ],
      },
    ]);
  });

  it('makes incidents high urgency during support hours and raises low ones when they begin', () => {
    const settings = urgencySettings({
      timeZone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      start: '09:00:00',
      end: '17:00:00',
    });
    expect(settings.incidentUrgencyRule).toEqual({
      type: 'use_support_hours',
      duringSupportHours: { type: 'constant', urgency: 'high' },
      outsideSupportHours: { type: 'constant', urgency: 'severity_based' },
    });
    expect(settings.supportHours).toMatchObject({
      type: 'fixed_time_per_day',
      daysOfWeeks: [1, 2, 3, 4, 5],
    });
    expect(settings.scheduledActions).toEqual([
      {
        type: 'urgency_change',
        toUrgency: 'high',
        ats: [{ type: 'named_time', name: 'support_hours_start' }],
      },
    ]);
  });

  it('accepts routing that pages someone', () => {
    expect(() => validateRouting({ areas, schedules, escalation })).not.toThrow();
  });

  it('refuses a schedule that is referenced but not defined', () => {
    expect(() =>
      validateRouting({
        areas: { data: { description: 'Data.', schedule: 'data' } },
        schedules,
        escalation,
      }),
    ).toThrow('schedule "data" is referenced but not defined in schedules');
    expect(() => escalationRules(escalation, 'data', { primary: 'PSCHED1' })).toThrow(/"data"/);
  });

  it('refuses routing that pages nobody', () => {
    const empty = { primary: { timeZone: 'UTC', layers: [] } };
    expect(() => validateRouting({ areas, schedules: empty, escalation })).toThrow(/pages nobody/);
    expect(() =>
      validateRouting({ areas, schedules, escalation: { ...escalation, fallback: { users: [] } } }),
    ).toThrow(/fallback.users is empty/);
    expect(() => validateRouting({ areas: {}, schedules, escalation })).toThrow(/areas is empty/);
  });

  it('refuses names PagerDuty resources cannot be derived from and a delay under a minute', () => {
    expect(() =>
      validateRouting({ areas: { Platform: { description: 'P.' } }, schedules, escalation }),
    ).toThrow(/"Platform" is not a valid area or schedule name/);
    expect(() =>
      validateRouting({ areas, schedules, escalation: { ...escalation, ruleDelayMinutes: 0 } }),
    ).toThrow(/ruleDelayMinutes is 0/);
  });
});
