import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type StandInAnswer, type StandIns, standIns } from './testing/stand-ins.js';

const script = (name: string) => join(import.meta.dirname, name);
const REPOSITORY = 'us-central1-docker.pkg.dev/aia-staging/aia/services';
const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const INDEX = digest('a');
const AMD64 = digest('1');
const ARM64 = digest('2');

/** `docker buildx imagetools inspect --raw` of a pushed index: two platforms and their attestations. */
const INDEX_MANIFEST = JSON.stringify({
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: AMD64, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: ARM64, platform: { os: 'linux', architecture: 'arm64' } },
    { digest: digest('3'), platform: { os: 'unknown', architecture: 'unknown' } },
    { digest: digest('4'), platform: { os: 'unknown', architecture: 'unknown' } },
  ],
});

/** One occurrence as `gcloud artifacts docker images list-vulnerabilities --format=json` lists it. */
const finding = (cve: string, severity: string, fixAvailable: boolean) => ({
  noteName: `projects/goog-vulnz/notes/${cve}`,
  vulnerability: {
    effectiveSeverity: severity,
    fixAvailable,
    packageIssue: [{ affectedPackage: 'openssl', fixedVersion: { fullName: '3.0.15-1' } }],
  },
});

/** The gcloud answers of a scan of both platform images, with these findings each. */
function scans(amd64: unknown[], arm64: unknown[]): StandInAnswer[] {
  const images = 'artifacts docker images'.split(' ');
  return [
    { args: [...images, 'scan', `${REPOSITORY}@${AMD64}`], stdout: 'scan-amd64\n' },
    { args: [...images, 'scan', `${REPOSITORY}@${ARM64}`], stdout: 'scan-arm64\n' },
    { args: [...images, 'list-vulnerabilities', 'scan-amd64'], stdout: JSON.stringify(amd64) },
    { args: [...images, 'list-vulnerabilities', 'scan-arm64'], stdout: JSON.stringify(arm64) },
  ];
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts connections on the port. */
const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the release workflow scripts, with stand-in gcloud, docker, kubectl, pulumi and curl', () => {
  let bin: StandIns | undefined;
  afterEach(async () => {
    await bin?.remove();
    bin = undefined;
  });

  describe('scan-image.sh', () => {
    it('scans each linux image of the index (not the attestations), passing with no fixable critical finding', async () => {
      bin = await standIns({
        docker: [{ args: ['buildx', 'imagetools', 'inspect'], stdout: INDEX_MANIFEST }],
        gcloud: scans(
          [finding('CVE-2026-0001', 'CRITICAL', false), finding('CVE-2026-0002', 'HIGH', true)],
          [],
        ),
      });
      const result = await bin.run(script('scan-image.sh'), [`${REPOSITORY}@${INDEX}`]);
      expect(result.code).toBe(0);
      expect((await bin.calls()).map(({ name, args }) => [name, ...args].join(' '))).toEqual([
        `docker buildx imagetools inspect ${REPOSITORY}@${INDEX} --raw`,
        `gcloud artifacts docker images scan ${REPOSITORY}@${AMD64} --remote --format=value(response.scan)`,
        'gcloud artifacts docker images list-vulnerabilities scan-amd64 --format=json',
        `gcloud artifacts docker images scan ${REPOSITORY}@${ARM64} --remote --format=value(response.scan)`,
        'gcloud artifacts docker images list-vulnerabilities scan-arm64 --format=json',
      ]);
      expect(result.stdout).toContain(`${REPOSITORY}@${AMD64}: 2 findings, 0 critical with a fix`);
    });

    it('fails on a critical finding with a fix in any platform image, naming it, after scanning all', async () => {
      bin = await standIns({
        docker: [{ args: ['buildx', 'imagetools', 'inspect'], stdout: INDEX_MANIFEST }],
        gcloud: scans([finding('CVE-2026-0003', 'CRITICAL', true)], []),
      });
      const result = await bin.run(script('scan-image.sh'), [`${REPOSITORY}@${INDEX}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('1 critical with a fix');
      expect(result.stdout).toContain('CVE-2026-0003  openssl → 3.0.15-1');
      expect((await bin.calls()).filter((call) => call.args.includes('scan'))).toHaveLength(2);
    });

    it('fails when the index lists no linux image, or a scan fails, and without an image argument', async () => {
      bin = await standIns({
        docker: [{ args: ['buildx'], stdout: JSON.stringify({ manifests: [] }) }],
        gcloud: [],
      });
      const empty = await bin.run(script('scan-image.sh'), [`${REPOSITORY}@${INDEX}`]);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain('lists no linux image');
      expect((await bin.calls()).some((call) => call.name === 'gcloud')).toBe(false);
      await bin.remove();

      bin = await standIns({
        docker: [{ args: ['buildx'], stdout: INDEX_MANIFEST }],
        gcloud: [{ args: ['artifacts', 'docker', 'images', 'scan'], exit: 2, stderr: 'denied\n' }],
      });
      const denied = await bin.run(script('scan-image.sh'), [`${REPOSITORY}@${INDEX}`]);
      expect(denied.code).not.toBe(0);
      expect((await bin.calls()).some((call) => call.args.includes('list-vulnerabilities'))).toBe(
        false,
      );
      const bare = await bin.run(script('scan-image.sh'), []);
      expect(bare.code).not.toBe(0);
      expect(bare.stderr).toContain('usage: scan-image.sh');
    });
  });

  describe('promote-image.sh', () => {
    const TARGET = 'us-central1-docker.pkg.dev/aia-production/aia/services';

    it('copies the index by digest and checks the copy has the same digest', async () => {
      bin = await standIns({
        docker: [
          { args: ['buildx', 'imagetools', 'create'] },
          {
            args: ['buildx', 'imagetools', 'inspect'],
            stdout: JSON.stringify({ digest: INDEX, mediaType: 'index' }),
          },
        ],
      });
      const result = await bin.run(script('promote-image.sh'), [
        `${REPOSITORY}@${INDEX}`,
        TARGET,
        'release-abc',
      ]);
      expect(result.code).toBe(0);
      expect((await bin.calls()).map((call) => call.args)).toEqual([
        [
          'buildx',
          'imagetools',
          'create',
          '--tag',
          `${TARGET}:release-abc`,
          `${REPOSITORY}@${INDEX}`,
        ],
        [
          'buildx',
          'imagetools',
          'inspect',
          `${TARGET}:release-abc`,
          '--format',
          '{{json .Manifest}}',
        ],
      ]);
      expect(result.stdout).toContain(`promote: ${TARGET}@${INDEX}`);
    });

    it('fails when the copy has another digest, and stops when the copy fails', async () => {
      bin = await standIns({
        docker: [
          { args: ['buildx', 'imagetools', 'create'] },
          { args: ['buildx', 'imagetools', 'inspect'], stdout: JSON.stringify({ digest: AMD64 }) },
        ],
      });
      const other = await bin.run(script('promote-image.sh'), [
        `${REPOSITORY}@${INDEX}`,
        TARGET,
        'release-abc',
      ]);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`has digest ${AMD64}, not ${INDEX}`);
      await bin.remove();

      bin = await standIns({
        docker: [{ args: ['buildx', 'imagetools', 'create'], exit: 1, stderr: 'unauthorized\n' }],
      });
      const refused = await bin.run(script('promote-image.sh'), [
        `${REPOSITORY}@${INDEX}`,
        TARGET,
        'release-abc',
      ]);
      expect(refused.code).toBe(1);
      expect((await bin.calls()).map((call) => call.args[2])).toEqual(['create']);
    });
  });

  describe('read-secret.sh', () => {
    it('reads the latest version, masks it, and writes it to $GITHUB_OUTPUT under the name', async () => {
      bin = await standIns({
        gcloud: [{ args: ['secrets', 'versions', 'access'], stdout: 'R0UT1NGK3Y' }],
      });
      const output = join(bin.bin, '..', 'github-output');
      const result = await bin.run(
        script('read-secret.sh'),
        ['routing_key', 'release-pagerduty-routing-key', 'aia-production'],
        { GITHUB_OUTPUT: output },
      );
      expect(result.code).toBe(0);
      expect((await bin.calls()).map((call) => call.args)).toEqual([
        [
          ...['secrets', 'versions', 'access', 'latest'],
          '--secret=release-pagerduty-routing-key',
          '--project=aia-production',
        ],
      ]);
      expect(result.stdout).toBe('::add-mask::R0UT1NGK3Y\n');
      expect(await readFile(output, 'utf8')).toBe('routing_key=R0UT1NGK3Y\n');
    });

    it('fails, writing nothing, when the secret cannot be read or outside a GitHub Actions step', async () => {
      bin = await standIns({
        gcloud: [{ args: ['secrets'], exit: 1, stderr: 'PERMISSION_DENIED\n' }],
      });
      const output = join(bin.bin, '..', 'github-output');
      const denied = await bin.run(script('read-secret.sh'), ['key', 'secret', 'project'], {
        GITHUB_OUTPUT: output,
      });
      expect(denied.code).toBe(1);
      await expect(readFile(output, 'utf8')).rejects.toThrow('ENOENT');
      const outside = await bin.run(script('read-secret.sh'), ['key', 'secret', 'project'], {
        GITHUB_OUTPUT: '',
      });
      expect(outside.code).not.toBe(0);
    });
  });

  describe('smoke-token.sh', () => {
    it("exchanges the smoke client's credentials at the gateway's token endpoint, masking both", async () => {
      bin = await standIns({
        gcloud: [{ args: ['secrets'], stdout: 'smoke-client:s3cret' }],
        curl: [{ args: [], stdout: JSON.stringify({ access_token: 'tok.en' }) }],
      });
      const output = join(bin.bin, '..', 'github-output');
      const result = await bin.run(
        script('smoke-token.sh'),
        ['https://api.example/', 'release-smoke-client', 'aia-staging'],
        { GITHUB_OUTPUT: output },
      );
      expect(result.code).toBe(0);
      const calls = await bin.calls();
      expect(calls.find((call) => call.name === 'curl')?.args).toEqual([
        ...['--silent', '--show-error', '--fail-with-body'],
        ...['--user', 'smoke-client:s3cret', '--data', 'grant_type=client_credentials'],
        'https://api.example/v1/auth/token',
      ]);
      expect(result.stdout).toBe('::add-mask::s3cret\n::add-mask::tok.en\n');
      expect(await readFile(output, 'utf8')).toBe('token=tok.en\n');
    });

    it('fails when the gateway refuses the credentials', async () => {
      bin = await standIns({
        gcloud: [{ args: ['secrets'], stdout: 'smoke-client:wrong' }],
        curl: [{ args: [], exit: 22, stdout: '{"error":"invalid_client"}' }],
      });
      const result = await bin.run(
        script('smoke-token.sh'),
        ['https://api.example', 'release-smoke-client', 'aia-staging'],
        { GITHUB_OUTPUT: join(bin.bin, '..', 'github-output') },
      );
      expect(result.code).not.toBe(0);
    });
  });

  describe('with-port-forwards.sh', () => {
    it("forwards each Service with the stack's kubeconfig, waits for it, runs the command, passes its exit code, then stops the forwards and removes the kubeconfig", async () => {
      const [prometheus, gateway] = await Promise.all([freePort(), freePort()]);
      bin = await standIns({
        pulumi: [{ args: ['stack', 'output', 'kubeconfig'], stdout: 'apiVersion: v1\n' }],
        kubectl: [{ args: ['port-forward'], holdPort: true }],
      });
      const seen = join(bin.bin, '..', 'seen');
      // The command checks that both forwards answer, and keeps a copy of the kubeconfig.
      const command = [
        `cp "$KUBECONFIG" ${seen}`,
        `echo >/dev/tcp/127.0.0.1/${prometheus}`,
        `echo >/dev/tcp/127.0.0.1/${gateway}`,
        'echo "$KUBECONFIG"',
        'exit 3',
      ].join(' && ');
      const result = await bin.run(script('with-port-forwards.sh'), [
        ...['production', 'aia'],
        `monitoring/prometheus-operated:${prometheus}`,
        `aia-api-green:${gateway}`,
        ...['--', 'bash', '-c', command],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(3);
      expect(await readFile(seen, 'utf8')).toBe('apiVersion: v1\n');
      // The kubeconfig held the cluster's credentials: gone once the command ended.
      await expect(readFile(result.stdout.trim(), 'utf8')).rejects.toThrow('ENOENT');
      // The forwards start in the background: in either order.
      const calls = (await bin.calls()).map(({ name, args }) => [name, ...args].join(' '));
      expect([calls[0], ...calls.slice(1).sort()]).toEqual([
        'pulumi stack output kubeconfig --show-secrets --stack production',
        `kubectl port-forward --namespace aia service/aia-api-green 127.0.0.1:${gateway}:${gateway}`,
        `kubectl port-forward --namespace monitoring service/prometheus-operated 127.0.0.1:${prometheus}:${prometheus}`,
      ]);
      // The forwards were killed with the script.
      await vi.waitFor(async () => {
        expect(await accepting(prometheus)).toBe(false);
        expect(await accepting(gateway)).toBe(false);
      });
    });

    it('exits 64 with its usage when no forward or no command is given, calling nothing', async () => {
      bin = await standIns({ pulumi: [], kubectl: [] });
      const noCommand = await bin.run(script('with-port-forwards.sh'), [
        ...['staging', 'aia', 'aia-api:8000', '--'],
      ]);
      expect(noCommand.code).toBe(64);
      expect(noCommand.stderr).toContain('usage: with-port-forwards.sh');
      const noForward = await bin.run(script('with-port-forwards.sh'), [
        ...['staging', 'aia', '--', 'true'],
      ]);
      expect(noForward.code).toBe(64);
      expect(await bin.calls()).toEqual([]);
    });

    it('fails, naming it, when a forward never opens, and runs no command', async () => {
      const port = await freePort();
      bin = await standIns({
        pulumi: [{ args: ['stack', 'output', 'kubeconfig'], stdout: 'apiVersion: v1\n' }],
        // A kubectl that exits at once: the forward never listens.
        kubectl: [{ args: ['port-forward'], exit: 1, stderr: 'error: unable to forward\n' }],
      });
      const marker = join(bin.bin, '..', 'ran');
      const result = await bin.run(
        script('with-port-forwards.sh'),
        [...['production', 'aia', `prometheus-operated:${port}`, '--', 'touch', marker]],
        { PORT_FORWARD_WAIT_SECONDS: '1' },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `the forward to prometheus-operated did not open 127.0.0.1:${port} within 1s`,
      );
      await expect(readFile(marker, 'utf8')).rejects.toThrow('ENOENT');
    });

    it('stops before any forward when the kubeconfig cannot be read', async () => {
      bin = await standIns({
        pulumi: [{ args: ['stack'], exit: 255, stderr: 'error: no stack named production\n' }],
        kubectl: [],
      });
      const result = await bin.run(script('with-port-forwards.sh'), [
        ...['production', 'aia', 'aia-api:8000', '--', 'true'],
      ]);
      expect(result.code).toBe(255);
      expect((await bin.calls()).map((call) => call.name)).toEqual(['pulumi']);
    });
  });
});
