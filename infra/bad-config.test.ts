import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';

let root: string | undefined;
afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

/** Replaces `from` with `to` in `text`, failing when the stack file no longer holds `from`. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`Pulumi.staging.yaml no longer contains: ${from}`);
  return text.replace(from, to);
}

describe('a stack with a bad configuration', () => {
  it('fails before creating anything, naming each bad key, why, and what to do', async () => {
    root = await mkdtemp(join(tmpdir(), 'bad-stack-'));
    await copyFile(join(repositoryRoot, 'Pulumi.yaml'), join(root, 'Pulumi.yaml'));
    let staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
    // The mistakes a newcomer makes, all in one file: every one must be listed.
    for (const [from, to] of [
      ['  aia-platform:domain: api.staging.aia-platform.dev\n', ''],
      ['imageTag: 0.1.0', 'imageTag: latest\n  aia-platform:imagetag: 0.2.0'],
      ['subnetCidr: 10.10.0.0/20', 'subnetCidr: 10.10.0.0/33'],
      ['podsCidr: 10.16.0.0/14', 'podsCidr: 10.30.0.0/15'],
      ['servicesCidr: 10.20.0.0/20', 'servicesCidr: 10.20.0.1/20'],
      ['nodes: 10.10.0.0/20', 'nodes: 10.10.0.0/20\n      office: 198.51.100.0/40'],
      ['    tier: BASIC\n', '    teir: BASIC\n'],
      ['config:\n', 'config:\n  aia-platform:jwtSigningKey: short\n'],
      [
        '  aia-platform:services:\n',
        '  aia-platform:services:\n    corsAllowedOrigins: ["*", "https://app.example/"]\n',
      ],
    ] as const) {
      staging = edit(staging, from, to);
    }
    await writeFile(join(root, 'Pulumi.staging.yaml'), staging);
    const failure = runPlan({
      root,
      stack: 'staging',
      program: join(repositoryRoot, 'infra/index.ts'),
    });
    await expect(failure).rejects.toMatchObject({ name: 'StackConfigError' });
    const message = await failure.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n')).toEqual([
      'Invalid configuration for stack staging:',
      '  - aia-platform:imagetag: unknown key, ignored by the program; did you mean aia-platform:imageTag? pulumi config rm aia-platform:imagetag, then pulumi config set aia-platform:imageTag <value>',
      '  - aia-platform:domain: required (pulumi config set aia-platform:domain ...)',
      '  - aia-platform:imageTag: must be an immutable tag or digest, not latest',
      '  - aia-platform:network → subnetCidr: the prefix length /33 is over /32: an IPv4 range is /0 to /32',
      '  - aia-platform:network → servicesCidr: host bits are set (the range starts at 10.20.0.0): write 10.20.0.0/20',
      '  - aia-platform:network → masterAuthorizedNetworks.office: the prefix length /40 is over /32: an IPv4 range is /0 to /32',
      "  - aia-platform:network → privateServicesCidr: 10.30.0.0/16 overlaps podsCidr (10.30.0.0/15): the VPC's ranges must not share addresses; pick a free range",
      '  - aia-platform:redis: unknown field "teir" (did you mean "tier"?): correct or remove it in the stack file',
      '  - aia-platform:services → corsAllowedOrigins.0: expected an https origin, for example https://app.aia.example',
      '  - aia-platform:services → corsAllowedOrigins.1: expected an origin only: scheme, host and port, no path or trailing slash',
      '  - aia-platform:jwtSigningKey: is stored in plain text in the stack file; a secret must be encrypted: pulumi config set --secret aia-platform:jwtSigningKey <value> (or pulumi config rm aia-platform:jwtSigningKey to have one generated)',
      expect.stringMatching(
        /^ {2}- aia-platform:jwtSigningKey: expected a PKCS#8 PEM ECDSA P-256 private key .*, or aia-api refuses it as JWT_SIGNING_KEY at start-up: pulumi config set --secret aia-platform:jwtSigningKey <value>/,
      ),
      'Nothing was created. Fix these in Pulumi.staging.yaml (or with pulumi config) and run again.',
    ]);
    // The secret's value is never echoed.
    expect(message).not.toContain('short');
  });
});
