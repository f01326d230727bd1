import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../services/catalog.js';
import { planStack, reachableHost, upstreamUrls } from './stack-plan.js';

const data = '/work/.data';

describe('npm start plans where a stack runs', () => {
  it('uses the catalog ports and the data dir itself by default', () => {
    const plan = planStack([], {}, data);
    expect(plan.offset).toBe(0);
    expect(plan.ports['aia-api']).toBe(catalog['aia-api'].port);
    expect(plan.stackDir).toBe(data);
    expect(plan.secretsFile).toBe(join(data, 'secrets.json'));
  });

  it('adds --port-offset (over AIA_PORT_OFFSET) to every port, with stores and logs apart', () => {
    const plan = planStack(['--port-offset', '100'], { AIA_PORT_OFFSET: '7' }, data);
    expect(plan.ports['economic-governor']).toBe(catalog['economic-governor'].port + 100);
    expect(plan.stackDir).toBe(join(data, 'port-offset-100'));
    // One issuer key for every stack of a checkout: a token works in each.
    expect(plan.secretsFile).toBe(join(data, 'secrets.json'));
    expect(planStack([], { AIA_PORT_OFFSET: '7' }, data).ports['aia-api']).toBe(
      catalog['aia-api'].port + 7,
    );
  });

  it('lets <SERVICE>_PORT move one service, over the offset', () => {
    const plan = planStack(['--port-offset', '100'], { ECONOMIC_GOVERNOR_PORT: '9001' }, data);
    expect(plan.ports['economic-governor']).toBe(9001);
    expect(plan.ports['dkg-manager']).toBe(catalog['dkg-manager'].port + 100);
  });

  it.each([
    [['--port-offset', 'ten'], {}, "Option '--port-offset' expects a whole number from 0 to"],
    [['--port-offset=-5'], {}, "Option '--port-offset' expects a whole number"],
    [
      [],
      { AIA_PORT_OFFSET: '60000' },
      "AIA_PORT_OFFSET expects a whole number from 0 to 57530, got '60000'",
    ],
    [
      [],
      { DKG_MANAGER_PORT: '70000' },
      "DKG_MANAGER_PORT expects a whole number from 1 to 65535, got '70000'",
    ],
    [
      [],
      { DKG_MANAGER_PORT: '8000' },
      'dkg-manager and aia-api would both listen on port 8000: set DKG_MANAGER_PORT to another',
    ],
    [['--offset', '1'], {}, "Unknown option '--offset'"],
  ])('refuses %j %j naming the option or variable', (args, env, message) => {
    expect(() => planStack(args, env, data)).toThrow(message);
  });

  it("points a service at the other services' ports of the same stack, unless set", () => {
    const { ports } = planStack(['--port-offset', '100'], {}, data);
    const urls = upstreamUrls('aia-api', ports, '127.0.0.1', {
      DKG_MANAGER_URL: 'http://elsewhere:1',
    });
    expect(urls.ECONOMIC_GOVERNOR_URL).toBe(
      `http://127.0.0.1:${catalog['economic-governor'].port + 100}`,
    );
    expect(urls).not.toHaveProperty('DKG_MANAGER_URL');
    expect(urls).not.toHaveProperty('AIA_API_URL');
  });

  it('reaches a wildcard HOST on loopback and brackets IPv6 literals', () => {
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('[::1]');
    expect(reachableHost('::1')).toBe('[::1]');
    expect(reachableHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
