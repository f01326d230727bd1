import { beforeAll, describe, expect, it } from 'vitest';
import { planStack } from '../test/harness/plan-queries.js';
import { redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan } from '../tools/policy-check/check.js';

type Resources = Parameters<typeof checkPlan>[1];
type Resource = Resources[number];

let resources: Resources;

beforeAll(async () => {
  const plan = await planStack('production');
  resources = plan.resources.map((r) => ({
    ...r,
    inputs: redactSecrets(r.inputs) as Record<string, unknown>,
  }));
});

/** The policies the pack reports once `mutate` has broken the production plan. */
async function violatedBy(mutate: (resource: Resource) => Resource | undefined) {
  const mutated = resources.flatMap((resource) => {
    const result = mutate(resource);
    return result ? [result] : [];
  });
  const verdict = await checkPlan('production', mutated);
  return new Set(
    verdict.violations.filter((v) => v.enforcementLevel === 'mandatory').map((v) => v.policy),
  );
}

const withInputs = (resource: Resource, inputs: Record<string, unknown>): Resource => ({
  ...resource,
  inputs: { ...resource.inputs, ...inputs },
});
const spec = (resource: Resource) => (resource.inputs.spec ?? {}) as Record<string, unknown>;

// Each test breaks one hardening of the real production plan and expects its rule to catch it.
describe('the policy pack catches a production plan with a hardening undone', () => {
  it('finds nothing in the plan as it is', async () => {
    expect(await violatedBy((r) => r)).toEqual(new Set());
  });

  it('an API Ingress that routes / as well as /v1', async () => {
    const violated = await violatedBy((r) => {
      if (
        r.type !== 'kubernetes:networking.k8s.io/v1:Ingress' ||
        r.name !== 'aia-production-gateway-api'
      )
        return r;
      const rules = spec(r).rules as { http: { paths: { path: string }[] } }[];
      const [rule] = rules;
      const paths = rule?.http.paths ?? [];
      return withInputs(r, {
        spec: {
          ...spec(r),
          rules: [{ ...rule, http: { paths: [...paths, { ...paths[0], path: '/' }] } }],
        },
      });
    });
    expect(violated).toContain('k8s-public-paths-versioned-api-only');
  });

  it("Grafana's BackendConfig without IAP", async () => {
    const violated = await violatedBy((r) => {
      if (
        r.type !== 'kubernetes:cloud.google.com/v1:BackendConfig' ||
        !r.name.endsWith('grafana-backend')
      )
        return r;
      const { iap: _iap, ...rest } = spec(r);
      return withInputs(r, { spec: rest });
    });
    expect(violated).toContain('k8s-grafana-iap-or-allowlist');
  });

  it("a namespace's default-deny egress policy removed", async () => {
    const violated = await violatedBy((r) =>
      r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' &&
      r.name.endsWith('-data-default-deny-egress')
        ? undefined
        : r,
    );
    expect(violated).toContain('k8s-namespace-default-deny-egress');
  });

  it('a Binary Authorization policy that allows every image', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:binaryauthorization/policy:Policy'
        ? withInputs(r, {
            defaultAdmissionRule: {
              evaluationMode: 'ALWAYS_ALLOW',
              enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
            },
          })
        : r,
    );
    expect(violated).toContain('gcp-binary-authorization-policy');
  });

  it('the Binary Authorization policy removed while the cluster enforces it', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:binaryauthorization/policy:Policy' ? undefined : r,
    );
    expect(violated).toContain('gcp-binary-authorization-policy');
  });

  it('a cluster that does not enforce Binary Authorization', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:container/cluster:Cluster'
        ? withInputs(r, { binaryAuthorization: { evaluationMode: 'DISABLED' } })
        : r,
    );
    expect(violated).toContain('gcp-gke-binary-authorization-enforced');
  });

  it('a cluster without application-layer secrets encryption, and a key that never rotates', async () => {
    const violated = await violatedBy((r) => {
      if (r.type === 'gcp:container/cluster:Cluster')
        return withInputs(r, { databaseEncryption: undefined });
      if (r.type === 'gcp:kms/cryptoKey:CryptoKey')
        return withInputs(r, { rotationPeriod: undefined });
      return r;
    });
    expect(violated).toContain('gcp-gke-secrets-encryption');
    expect(violated).toContain('gcp-kms-key-rotation');
  });

  it('a bucket without versioning', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:storage/bucket:Bucket' && r.inputs.name === 'aia-production-reports-nam4'
        ? withInputs(r, { versioning: { enabled: false } })
        : r,
    );
    expect(violated).toContain('gcp-storage-versioning');
  });

  it('a service account with roles/storage.admin on the reports bucket', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:storage/bucketIAMMember:BucketIAMMember' &&
      r.inputs.bucket === 'aia-production-reports-nam4'
        ? withInputs(r, { role: 'roles/storage.admin' })
        : r,
    );
    expect(violated).toContain('gcp-storage-least-privilege');
  });

  it('a Neo4j backup identity that may delete backups', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:storage/bucketIAMMember:BucketIAMMember' &&
      r.inputs.role === 'roles/storage.objectCreator'
        ? withInputs(r, { role: 'roles/storage.objectUser' })
        : r,
    );
    expect(violated).toContain('gcp-storage-backup-no-delete');
  });

  it('backup and report buckets back in the stack region alone', async () => {
    for (const name of [
      'aia-production-neo4j-backups-nam4',
      'aia-production-sql-exports-nam4',
      'aia-production-reports-nam4',
    ]) {
      const violated = await violatedBy((r) =>
        r.type === 'gcp:storage/bucket:Bucket' && r.inputs.name === name
          ? withInputs(r, { location: 'us-central1', rpo: undefined })
          : r,
      );
      expect(violated).toContain('gcp-storage-outside-region');
    }
  });

  it('the single-replica Neo4j volume on a zonal disk', async () => {
    const violated = await violatedBy((r) => {
      if (r.type !== 'kubernetes:helm.sh/v3:Release' || r.inputs.name !== 'neo4j') return r;
      const values = structuredClone(r.inputs.values) as {
        volumes: { data: { dynamic: { storageClassName: string } } };
      };
      values.volumes.data.dynamic.storageClassName = 'premium-rwo';
      return withInputs(r, { values });
    });
    expect(violated).toContain('k8s-regional-disks');
  });

  it('MinIO back in the cluster', async () => {
    const violated = await violatedBy((r) => {
      if (r.type !== 'kubernetes:apps/v1:Deployment' || !r.name.includes('venture-discovery'))
        return r;
      const template = structuredClone(spec(r).template) as {
        spec: { containers: { image: string }[] };
      };
      for (const container of template.spec.containers)
        container.image = 'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z';
      return withInputs(r, { spec: { ...spec(r), template } });
    });
    expect(violated).toContain('k8s-no-archived-software');
  });

  it('a service account that administers Cloud SQL', async () => {
    const violated = await violatedBy((r) =>
      r.type === 'gcp:projects/iAMMember:IAMMember' &&
      r.inputs.role === 'roles/cloudsql.instanceUser'
        ? withInputs(r, { role: 'roles/cloudsql.admin' })
        : r,
    );
    expect(violated).toContain('gcp-cloudsql-workload-least-privilege');
  });

  it('a service given a password database URL, on an instance without IAM logins', async () => {
    const violated = await violatedBy((r) => {
      if (r.type === 'kubernetes:core/v1:Secret' && r.name.includes('economic-governor'))
        return withInputs(r, {
          stringData: { ...(r.inputs.stringData as object), DATABASE_URL: '[secret]' },
        });
      if (r.type !== 'gcp:sql/databaseInstance:DatabaseInstance' || r.inputs.masterInstanceName)
        return r;
      const settings = structuredClone(r.inputs.settings) as {
        databaseFlags: { name: string; value: string }[];
      };
      settings.databaseFlags = settings.databaseFlags.filter(
        (flag) => flag.name !== 'cloudsql.iam_authentication',
      );
      return withInputs(r, { settings });
    });
    expect(violated).toContain('platform-database-iam-authentication');
  });
});
