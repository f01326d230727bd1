import { describe, expect, it } from 'vitest';
import { collectorValues } from './collector-values.js';

describe('collectorValues', () => {
  it('opens only the OTLP and metrics ports', () => {
    expect(collectorValues('staging').ports).toEqual({
      'jaeger-compact': { enabled: false },
      'jaeger-thrift': { enabled: false },
      'jaeger-grpc': { enabled: false },
      zipkin: { enabled: false },
      metrics: { enabled: true },
    });
  });

  it('runs as non-root on a read-only root filesystem, without an API token, sized', () => {
    const values = collectorValues('production');
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(values.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.resources).toEqual({
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(values.serviceAccount.automountServiceAccountToken).toBe(false);
  });

  it('guards the collector with a disruption budget only when it runs more than one replica', () => {
    expect(collectorValues('production').podDisruptionBudget).toEqual({
      enabled: true,
      minAvailable: 1,
    });
    expect(collectorValues('staging').podDisruptionBudget).toEqual({ enabled: false });
  });
});
