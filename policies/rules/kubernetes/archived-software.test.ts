import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { noArchivedSoftware } from './archived-software.js';
import { deployment, podSpecWith, statefulSet } from './test-fixtures.js';

const check = async (...resources: ReturnType<typeof planned>[]) =>
  messagesOf(await violationsOf([noArchivedSoftware], resources));

const release = (inputs: Record<string, unknown>) =>
  planned('kubernetes:helm.sh/v3:Release', 'tenant', {
    name: 'minio-tenant',
    namespace: 'data',
    version: '7.1.1',
    ...inputs,
  });

describe('k8s-no-archived-software', () => {
  it('flags a container running a MinIO image, with what to use instead', async () => {
    const pod = podSpecWith((_, app) => {
      app.image = 'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z';
    });
    const [message] = await check(statefulSet(pod, 'minio'));
    expect(message).toMatch(
      /container 'app' runs 'quay.io\/minio\/minio:RELEASE.2025-04-08T15-41-24Z' of MinIO \(archived upstream in April 2026\): keep objects in Cloud Storage buckets of the ObjectStorage component/,
    );
  });

  it('flags the MinIO operator chart and an image in any release values', async () => {
    expect(
      await check(
        release({
          chart: 'operator',
          repositoryOpts: { repo: 'https://operator.min.io' },
          values: { tenant: { image: { repository: 'quay.io/minio/minio' } } },
        }),
      ),
    ).toEqual([
      "Release data/minio-tenant installs chart 'operator' of MinIO (archived upstream in April 2026): remove the release and keep objects in Cloud Storage buckets of the ObjectStorage component, reached over the S3 API (docs/object-storage.md).",
      'Release data/minio-tenant sets values.tenant.image.repository to an image of MinIO (archived upstream in April 2026): keep objects in Cloud Storage buckets of the ObjectStorage component, reached over the S3 API (docs/object-storage.md).',
    ]);
  });

  it('accepts maintained images and charts', async () => {
    const pod = podSpecWith((_, app) => {
      app.image = 'neo4j:5.26.21-community';
    });
    expect(
      await check(
        deployment(pod),
        release({ chart: 'neo4j', repositoryOpts: { repo: 'https://helm.neo4j.com/neo4j' } }),
      ),
    ).toEqual([]);
  });
});
