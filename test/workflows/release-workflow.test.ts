import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  /** A reusable workflow this job calls instead of running steps. */
  readonly uses?: string;
  readonly needs?: string[];
  readonly environment?: string;
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly permissions?: Record<string, string>;
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** `${{ <expression> }}` as the workflow writes it. */
const gh = (expression: string) => `$\{{ ${expression} }}`;
const text = readFileSync(join(import.meta.dirname, '../../.github/workflows/release.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const jobs = Object.entries(workflow.jobs);
const job = (name: string) => workflow.jobs[name] as Job;
const stepsOf = (name: string) => job(name).steps ?? [];
const runs = (name: string) => stepsOf(name).flatMap((step) => (step.run ? [step.run] : []));
const uses = (name: string) => stepsOf(name).flatMap((step) => (step.uses ? [step.uses] : []));

/** Every job `name` depends on, directly or through others. */
function upstreamOf(name: string): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const need of job(current).needs ?? []) {
      if (!seen.has(need)) {
        seen.add(need);
        visit(need);
      }
    }
  };
  visit(name);
  return seen;
}

describe('the release workflow', () => {
  it('runs on a push to main and by hand', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  it('runs checks → build → scan → attest → staging (deploy, smoke, load check) → production, in that order', () => {
    expect(Object.keys(workflow.jobs)).toEqual([
      'checks',
      'build',
      'scan',
      'attest',
      'staging',
      'production',
    ]);
    expect([...upstreamOf('production')].sort()).toEqual(
      ['attest', 'build', 'checks', 'scan', 'staging'].sort(),
    );
    expect(upstreamOf('staging')).toEqual(new Set(['build', 'attest', 'scan', 'checks']));
  });

  it("builds nothing before the commit's own lint, typecheck and tests passed, the pull requests' checks", () => {
    // A push to main starts this workflow at once; without the gate a commit whose tests fail on
    // main (a merge of two green pull requests, say) would be built and deployed.
    expect(job('checks').uses).toBe('./.github/workflows/checks.yml');
    for (const name of Object.keys(workflow.jobs).filter((other) => other !== 'checks')) {
      expect(upstreamOf(name).has('checks'), name).toBe(true);
    }
    const checks = parse(
      readFileSync(join(import.meta.dirname, '../../.github/workflows/checks.yml'), 'utf8'),
    ) as Workflow;
    expect(checks.on).toEqual({ workflow_call: null });
    const commands = Object.values(checks.jobs).flatMap((each) =>
      (each.steps ?? []).flatMap((step) => (step.run ? [step.run] : [])),
    );
    expect(commands).toEqual([
      'bash tools/setup.sh',
      'npm run typecheck',
      'npm run lint',
      'npm test',
    ]);
    const pullRequest = parse(
      readFileSync(join(import.meta.dirname, '../../.github/workflows/pull-request.yml'), 'utf8'),
    ) as Workflow;
    expect(pullRequest.jobs.checks?.uses).toBe('./.github/workflows/checks.yml');
  });

  it('builds both platforms with an SBOM and full provenance, pushed by digest', () => {
    const build = stepsOf('build').find((step) =>
      step.uses?.startsWith('docker/build-push-action'),
    );
    expect(build?.with).toMatchObject({
      platforms: 'linux/amd64,linux/arm64',
      sbom: true,
      provenance: 'mode=max',
      'build-args': `GIT_REVISION=${gh('github.sha')}`,
    });
    expect(build?.with?.outputs).toContain('push-by-digest=true');
    expect(uses('build')).toEqual(
      expect.arrayContaining(['docker/setup-qemu-action@v3', 'docker/setup-buildx-action@v3']),
    );
  });

  it('scans with a script that fails on fixable critical findings, and signs with the KMS key', () => {
    expect(runs('scan').join('\n')).toContain('tools/release-workflow/scan-image.sh');
    const scanner = readFileSync(
      join(import.meta.dirname, '../../tools/release-workflow/scan-image.sh'),
      'utf8',
    );
    expect(scanner).toContain(
      'effectiveSeverity == "CRITICAL" and .vulnerability.fixAvailable == true',
    );
    for (const name of ['attest', 'production']) {
      expect(runs(name).join('\n')).toContain(
        `--keyversion="${gh('steps.stack.outputs.attestor_key_version')}"`,
      );
    }
  });

  it('signs with the beta command (sign-and-create has no GA form) and installs the beta component', () => {
    // `gcloud container binauthz attestations` (GA) has create and list only; sign-and-create
    // (sign with Cloud KMS, then create) is at the alpha and beta release levels, and the SDK
    // that setup-gcloud installs lacks both components unless asked.
    for (const name of ['attest', 'production']) {
      const signs = runs(name).filter((run) => run.includes('sign-and-create'));
      expect(signs, name).toHaveLength(1);
      expect(signs[0], name).toMatch(
        /^gcloud beta container binauthz attestations sign-and-create\s/,
      );
      const setup = stepsOf(name).find((step) =>
        step.uses?.startsWith('google-github-actions/setup-gcloud@'),
      );
      expect(String(setup?.with?.install_components ?? '').split(','), name).toContain('beta');
    }
  });

  it('verifies the signed SLSA provenance of the digest before either attestor signs it', () => {
    const build = job('build');
    expect(build.permissions).toMatchObject({ attestations: 'write' });
    const provenance = stepsOf('build').find((step) =>
      step.uses?.startsWith('actions/attest-build-provenance@'),
    );
    expect(provenance?.with).toEqual({
      'subject-name': gh('steps.stack.outputs.image'),
      'subject-digest': gh('steps.push.outputs.digest'),
    });
    const image = { attest: 'needs.build.outputs.image', production: 'steps.stack.outputs.image' };
    for (const name of ['attest', 'production'] as const) {
      expect(job(name).permissions, name).toMatchObject({ attestations: 'read' });
      const steps = stepsOf(name);
      const verify = steps.findIndex((step) => step.run?.includes('verify-provenance.sh'));
      const sign = steps.findIndex((step) => step.run?.includes('attestations sign-and-create'));
      expect(verify, name).toBeGreaterThanOrEqual(0);
      expect(verify, name).toBeLessThan(sign);
      const step = steps[verify] as Step;
      expect(step.run, name).toBe(
        `bash tools/release-workflow/verify-provenance.sh "${gh(image[name])}@${gh('needs.build.outputs.digest')}" "${gh('github.repository')}" "${gh('github.sha')}"`,
      );
      expect(step.env, name).toEqual({ GH_TOKEN: gh('github.token') });
    }
    const verifier = readFileSync(
      join(import.meta.dirname, '../../tools/release-workflow/verify-provenance.sh'),
      'utf8',
    );
    for (const flag of [
      'gh attestation verify "oci://$image"',
      '--signer-workflow "$repository/.github/workflows/release.yml"',
      '--source-ref refs/heads/main',
      '--source-digest "$commit"',
      '--deny-self-hosted-runners',
    ]) {
      expect(verifier).toContain(flag);
    }
  });

  it('deploys, switches, smoke-tests and load-checks staging in one job, in that order', () => {
    // One job under one concurrency group: no other run's deploy can land on staging between this
    // run's deploy and its checks, so production promotes only a digest staging tested.
    const steps = runs('staging');
    const at = (fragment: string) => steps.findIndex((run) => run.includes(fragment));
    const order = [
      `npm run ops -- deploy --stack staging --digest "${gh('needs.build.outputs.digest')}"`,
      'npm run ops -- switch --stack staging',
      'npm run ops -- health --stack staging',
      `npm run smoke -- --url "${gh('steps.stack.outputs.gateway_url')}"`,
      'npm run smoke -- load',
    ].map(at);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const [name] of jobs.filter(([other]) => other !== 'staging')) {
      expect(runs(name).join('\n'), name).not.toMatch(/ops -- \w+ --stack staging/);
    }
  });

  it("reads staging's error budgets from its Prometheus, port-forwarded like the services", () => {
    const health = runs('staging').find((run) => run.includes('npm run ops -- health')) ?? '';
    // Without --prometheus-url, health asks the stack output's in-cluster address, which does not
    // resolve on a runner: every budget was left empty.
    expect(health).toContain(
      `${gh('steps.stack.outputs.service_ports')} "${gh('steps.stack.outputs.prometheus_forward')}" --`,
    );
    expect(health).toContain(
      `--prometheus-url "http://127.0.0.1:${gh('steps.stack.outputs.prometheus_port')}"`,
    );
  });

  it('waits for the production environment (its reviewers), then deploys idle, smokes, switches, watches', () => {
    expect(job('production').environment).toBe('production');
    const steps = runs('production');
    const at = (fragment: string) => steps.findIndex((run) => run.includes(fragment));
    const order = [
      'npm run ops -- deploy --stack production',
      `aia-api-${gh('steps.stack.outputs.idle_colour')}`,
      'npm run ops -- switch --stack production',
      'npm run ops -- watch --stack production',
    ].map(at);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('watches the rolling services after each deploy: Prometheus port-forwarded, the PagerDuty key read first', () => {
    for (const [name, stack] of [
      ['staging', 'staging'],
      ['production', 'production'],
    ] as const) {
      const steps = stepsOf(name);
      const deploy = steps.findIndex((step) => step.run?.includes('npm run ops -- deploy'));
      const step = steps[deploy] as Step;
      expect(step.run, name).toContain(
        `with-port-forwards.sh ${stack} "${gh('steps.stack.outputs.namespace')}" "${gh('steps.stack.outputs.prometheus_forward')}"`,
      );
      expect(step.run, name).toContain(
        `--prometheus-url "http://127.0.0.1:${gh('steps.stack.outputs.prometheus_port')}"`,
      );
      expect(step.env, name).toEqual({
        PAGERDUTY_ROUTING_KEY: gh('steps.pagerduty.outputs.routing_key'),
      });
      const readKey = steps.findIndex((s) => s.run?.includes('read-secret.sh routing_key'));
      expect(readKey, name).toBeGreaterThanOrEqual(0);
      expect(readKey, name).toBeLessThan(deploy);
    }
  });

  it('never lets two deploys of one stack overlap, and never cancels one in progress', () => {
    for (const [name, { concurrency }] of jobs) {
      const deploys = runs(name).some((run) => /ops -- (deploy|switch)/.test(run));
      if (!deploys) continue;
      const stack = name === 'production' ? 'production' : 'staging';
      expect(concurrency, name).toEqual({ group: `deploy-${stack}`, 'cancel-in-progress': false });
    }
  });

  it('reads addresses from the stack outputs, never from the workflow', () => {
    expect(text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(text).not.toMatch(/docker\.pkg\.dev|\.svc\.cluster\.local/);
  });

  it('grants id-token: write only to jobs that exchange it for Google Cloud credentials', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, { permissions = {} }] of jobs) {
      const exchanges = uses(name).some((use) => use.startsWith('google-github-actions/auth@'));
      expect(permissions['id-token'] === 'write', name).toBe(exchanges);
    }
  });

  it('authenticates to Google Cloud through Workload Identity Federation only, no key', () => {
    for (const [name] of jobs) {
      const auths = stepsOf(name).filter((s) => s.uses?.startsWith('google-github-actions/auth@'));
      for (const step of auths) {
        expect(step.with, name).toEqual({
          workload_identity_provider: `${gh('vars.GCP_WORKLOAD_IDENTITY_PROVIDER')}`,
          service_account: `${gh('vars.GCP_SERVICE_ACCOUNT')}`,
        });
      }
    }
    expect(text).not.toMatch(
      /credentials_json|GOOGLE_APPLICATION_CREDENTIALS|service_account_key/i,
    );
    // Not even Pulumi's: the state is read from the stack's bucket with the same credentials.
    expect(text).not.toMatch(/secrets\./);
  });

  it('pins every action to a version or, as Renovate pins them, a full commit SHA', () => {
    for (const [name] of jobs) {
      for (const use of uses(name)) {
        expect(use, name).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
      }
    }
  });
});
