import { describe, expect, it } from 'vitest';
import { SEVERITY_DESTINATIONS } from '../../alerting/severity-destinations.js';
import { type ChannelChoice, channelsFor } from './channels.js';

const withPagerDuty: ChannelChoice<string> = {
  pagerduty: { platform: 'pd-platform', ledger: 'pd-ledger' },
  areaServices: { platform: ['aia-api'], ledger: ['economic-governor'] },
  defaultArea: 'platform',
  email: 'email',
};

describe('channelsFor', () => {
  it("pages the area whose services include the alert's service, as Alertmanager's area routes do", () => {
    expect(channelsFor('critical', 'economic-governor', withPagerDuty)).toEqual([
      'pd-ledger',
      'email',
    ]);
  });

  it('pages the default area for an alert about no service or a service of no area', () => {
    expect(channelsFor('critical', undefined, withPagerDuty)).toEqual(['pd-platform', 'email']);
    expect(channelsFor('critical', 'neo4j', withPagerDuty)).toEqual(['pd-platform', 'email']);
  });

  it('never pages for a warning: e-mail stands in for Slack', () => {
    expect(SEVERITY_DESTINATIONS.warning).not.toContain('pagerduty');
    expect(channelsFor('warning', 'economic-governor', withPagerDuty)).toEqual(['email']);
  });

  it('sends a critical alert by e-mail alone on a stack without PagerDuty', () => {
    expect(
      channelsFor('critical', 'aia-api', { ...withPagerDuty, pagerduty: {}, areaServices: {} }),
    ).toEqual(['email']);
  });
});
