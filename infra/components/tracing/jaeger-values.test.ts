import { describe, expect, it } from 'vitest';
import { jaegerConfig, jaegerValues } from './jaeger-values.js';

describe('Jaeger values', () => {
  it('runs as non-root on a read-only root filesystem with /tmp on an emptyDir, sized', () => {
    const { jaeger } = jaegerValues('staging');
    expect(jaeger.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(jaeger.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(jaeger.extraVolumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(jaeger.resources.limits).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(jaeger.image).toEqual({ tag: '2.19.0' });
  });

  it('mounts the Badger volume where the store writes', () => {
    const { jaeger, userconfig } = jaegerValues('production');
    expect(jaeger.extraVolumeMounts).toContainEqual({ name: 'badger', mountPath: '/badger' });
    const badger = userconfig.extensions.jaeger_storage.backends.primary;
    expect(badger).toEqual({
      badger: {
        directories: { keys: '/badger/keys', values: '/badger/values' },
        ephemeral: false,
        ttl: { spans: '72h' },
      },
    });
  });

  it('binds the health check where the chart probes it and reads traces from one store', () => {
    const config = jaegerConfig({ type: 'memory', maxTraces: 10 });
    expect(config.extensions.healthcheckv2.http.endpoint).toBe('0.0.0.0:13133');
    expect(config.extensions.jaeger_query.storage.traces).toBe('primary');
    expect(config.exporters.jaeger_storage_exporter.trace_storage).toBe('primary');
    expect(config.service.extensions).toEqual(['jaeger_storage', 'jaeger_query', 'healthcheckv2']);
  });
});
