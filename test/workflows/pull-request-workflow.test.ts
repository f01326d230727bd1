import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stateBackendUrl } from '../../tools/release-workflow/state-backend.js';

interface Step {
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly env?: Record<string, unknown>;
  readonly steps: Step[];
}

/** `${{ <expression> }}` as the workflow writes it. */
const gh = (expression: string) => `$\{{ ${expression} }}`;
const root = join(import.meta.dirname, '../..');
const text = readFileSync(join(root, '.github/workflows/pull-request.yml'), 'utf8');
const preview = (parse(text) as { jobs: Record<string, Job> }).jobs.preview as Job;

describe("the pull-request workflow's preview", () => {
  it('previews each stack against its own state bucket, the one release and ops use, with no Pulumi token', () => {
    const steps = preview.steps;
    const backend = steps.findIndex((step) => step.id === 'backend');
    const pulumi = steps.findIndex((step) => step.uses?.startsWith('pulumi/actions@'));
    expect(steps[backend]?.run).toBe(
      `npm run --silent state:backend -- --stack "${gh('matrix.stack')}" >> "$GITHUB_OUTPUT"`,
    );
    expect(backend).toBeLessThan(pulumi);
    expect(steps[pulumi]?.with).toMatchObject({
      command: 'preview',
      'cloud-url': gh('steps.backend.outputs.url'),
      // A stack of the bucket's project, not a Pulumi Cloud organisation's.
      'stack-name': gh('matrix.stack'),
    });
    expect(preview.env).toBeUndefined();
    expect(text).not.toMatch(/PULUMI_ACCESS_TOKEN|PULUMI_ORG|secrets\./);
  });

  it('names the bucket the first deploy creates in each stack file project', () => {
    expect(stateBackendUrl(root, 'staging')).toBe('gs://aia-platform-staging-pulumi-state');
    expect(stateBackendUrl(root, 'production')).toBe('gs://aia-platform-production-pulumi-state');
  });

  it('refuses a stack file without gcp:project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-backend-'));
    try {
      writeFileSync(join(dir, 'Pulumi.yaml'), readFileSync(join(root, 'Pulumi.yaml')));
      writeFileSync(join(dir, 'Pulumi.bare.yaml'), 'config:\n  gcp:region: us-central1\n');
      expect(() => stateBackendUrl(dir, 'bare')).toThrow('Pulumi.bare.yaml sets no gcp:project');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
