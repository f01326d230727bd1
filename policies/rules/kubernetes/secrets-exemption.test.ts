import { describe, expect, it } from 'vitest';
import { planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { NO_CREDENTIALS_ANNOTATION, noPlaintextSecrets } from './secrets.js';

const configSecret = (annotations?: Record<string, string>) =>
  planned('kubernetes:core/v1:Secret', 'alertmanager-config', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'alertmanager-aia', namespace: 'monitoring', annotations },
    stringData: { 'alertmanager.yaml': 'route: {receiver: slack}' },
  });

describe('k8s-no-plaintext-secret exemption', () => {
  it('accepts a Secret that declares, with a reason, that it holds no credential', async () => {
    const reason = {
      [NO_CREDENTIALS_ANNOTATION]: 'configuration only: credentials are *_file references',
    };
    expect(await violationsOf([noPlaintextSecrets], [configSecret(reason)])).toEqual([]);
  });

  it('still flags it without the annotation, or with an empty reason', async () => {
    expect(await violationsOf([noPlaintextSecrets], [configSecret()])).toHaveLength(1);
    expect(
      await violationsOf(
        [noPlaintextSecrets],
        [configSecret({ [NO_CREDENTIALS_ANNOTATION]: 'ok' })],
      ),
    ).toHaveLength(1);
  });
});
