import { describe, expect, it } from 'vitest';
import { planStack, queries } from '../../test/harness/plan-queries.js';
import {
  CONTAINER_SECURITY_CONTEXT,
  podSecurityContext,
  WRITABLE_ROOT_CONTAINER_SECURITY_CONTEXT,
} from './security-contexts.js';

describe('the hardened security contexts', () => {
  it("meet the restricted Pod Security Standard's fields, with a read-only root", () => {
    expect(podSecurityContext({ user: 1000, group: 2000 })).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(CONTAINER_SECURITY_CONTEXT).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(WRITABLE_ROOT_CONTAINER_SECURITY_CONTEXT).toEqual({
      ...CONTAINER_SECURITY_CONTEXT,
      readOnlyRootFilesystem: false,
    });
  });

  it('refuse root', () => {
    expect(() => podSecurityContext({ user: 0 })).toThrow('never runs as root');
  });

  it('are what every pod template of the production plan runs with', async () => {
    const plan = await planStack('production');
    const { ofType, inputsOf } = queries(plan);
    const templates = [
      ...['apps/v1:Deployment', 'batch/v1:Job'].flatMap((kind) =>
        ofType(`kubernetes:${kind}`).map((r) => inputsOf(r).spec.template),
      ),
      ...ofType('kubernetes:batch/v1:CronJob').map(
        (r) => inputsOf(r).spec.jobTemplate.spec.template,
      ),
    ];
    expect(templates.length).toBeGreaterThan(6);
    for (const { spec } of templates) {
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.securityContext, container.name).toEqual(CONTAINER_SECURITY_CONTEXT);
      }
    }
  });
});
