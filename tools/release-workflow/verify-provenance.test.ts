import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StandIns, standIns } from './testing/stand-ins.js';

const script = join(import.meta.dirname, 'verify-provenance.sh');
const IMAGE = `us-central1-docker.pkg.dev/aia-staging/aia/services@sha256:${'a'.repeat(64)}`;
const COMMIT = 'b'.repeat(40);

describe('verify-provenance.sh (a stand-in gh on PATH)', () => {
  let bin: StandIns | undefined;
  afterEach(async () => {
    await bin?.remove();
  });

  it("asks gh for the digest's provenance signed by this repository's release workflow on main at the commit", async () => {
    bin = await standIns({ gh: [] });
    const result = await bin.run(script, [IMAGE, 'aia-org/aia-platform', COMMIT]);
    expect(result.code).toBe(0);
    expect(await bin.calls()).toEqual([
      {
        name: 'gh',
        args: [
          ...['attestation', 'verify', `oci://${IMAGE}`],
          ...['--repo', 'aia-org/aia-platform'],
          ...['--signer-workflow', 'aia-org/aia-platform/.github/workflows/release.yml'],
          ...['--source-ref', 'refs/heads/main'],
          ...['--source-digest', COMMIT],
          '--deny-self-hosted-runners',
        ],
      },
    ]);
    expect(result.stdout).toContain('built by aia-org/aia-platform/.github/workflows/release.yml');
  });

  it('fails, saying it will not attest, when gh finds no such provenance', async () => {
    bin = await standIns({
      gh: [{ args: ['attestation', 'verify'], exit: 1, stderr: 'no attestations found\n' }],
    });
    const result = await bin.run(script, [IMAGE, 'aia-org/aia-platform', COMMIT]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no provenance of');
    expect(result.stderr).toContain('not attesting it');
  });

  it('refuses an image not pinned by digest, or missing arguments, without calling gh', async () => {
    bin = await standIns({ gh: [] });
    const tagged = await bin.run(script, [
      'us-central1-docker.pkg.dev/aia-staging/aia/services:latest',
      'aia-org/aia-platform',
      COMMIT,
    ]);
    expect(tagged.code).toBe(64);
    expect(tagged.stderr).toContain('is not pinned by digest');
    const bare = await bin.run(script, [IMAGE]);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toContain('the GitHub repository that built the image');
    expect(await bin.calls()).toEqual([]);
  });
});
