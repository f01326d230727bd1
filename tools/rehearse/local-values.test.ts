import { describe, expect, it } from 'vitest';
import { localEndpoints, localPaths, localSecrets } from './local-values.js';

describe('local values for a rendered environment', () => {
  it('gives each secret placeholder one random value, wherever it appears', () => {
    const secrets = localSecrets();
    const url = secrets(
      'postgres://svc:plan-secret-svc-password@10.255.0.3:5432/svc?sslmode=require',
    );
    const password = new URL(url).password;
    expect(password).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(secrets('plan-secret-svc-password')).toBe(password);
    expect(secrets('plan-secret-other')).not.toBe(password);
    expect(secrets('no placeholder here')).toBe('no placeholder here');
  });

  it('points the stack addresses in URLs at the local servers and leaves unknown ones', () => {
    const local = localEndpoints(
      new Map([
        ['10.255.0.3:5432', '127.0.0.1:40001'],
        ['economic-governor.aia.svc.cluster.local:8001', '127.0.0.1:40002'],
      ]),
    );
    expect(local('postgres://u:p@10.255.0.3:5432/db?sslmode=require')).toBe(
      'postgres://u:p@127.0.0.1:40001/db?sslmode=require',
    );
    expect(local('http://economic-governor.aia.svc.cluster.local:8001')).toBe(
      'http://127.0.0.1:40002',
    );
    expect(local('neo4j://neo4j.data.svc.cluster.local:7687')).toBe(
      'neo4j://neo4j.data.svc.cluster.local:7687',
    );
  });

  it('maps a path inside a mounted volume to the local copy, and nothing else', () => {
    const paths = localPaths(new Map([['/etc/aia/redis-ca', '/tmp/r/mounts/redis-server-ca']]));
    expect(paths('/etc/aia/redis-ca/ca.crt')).toBe('/tmp/r/mounts/redis-server-ca/ca.crt');
    expect(paths('/etc/aia/redis-cab')).toBe('/etc/aia/redis-cab');
  });
});
