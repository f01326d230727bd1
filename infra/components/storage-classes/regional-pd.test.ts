import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { describe, expect, it } from 'vitest';
import { regionalPdStorageClass } from './regional-pd.js';

describe('regionalPdStorageClass', () => {
  it('is a valid balanced regional PD class bound where the first pod lands, within the zones', () => {
    const spec = regionalPdStorageClass(['us-central1-a', 'us-central1-b']);
    expect(() => new StorageClass(spec as never).validate()).not.toThrow();
    expect(spec).toMatchObject({
      provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'pd-balanced', 'replication-type': 'regional-pd' },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Retain',
    });
  });

  it('refuses fewer than two zones, saying why', () => {
    expect(() => regionalPdStorageClass(['us-central1-a'])).toThrow(
      /replicated across two zones: the cluster's nodes must span at least two, got us-central1-a/,
    );
  });
});
