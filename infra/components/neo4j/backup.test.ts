import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKUP_KSA,
  backupAccountId,
  backupBucketName,
  backupCronJobSpec,
  backupLifecycleRules,
  EXPORT_QUERY,
  EXPORT_SCRIPT,
  UPLOAD_SCRIPT,
} from './backup.js';

describe('backup names', () => {
  it('derives the bucket from the prefix and its location, and the account from the prefix', () => {
    expect(backupBucketName('aia-production', 'nam4')).toBe('aia-production-neo4j-backups-nam4');
    expect(backupAccountId('aia-production')).toBe('aia-production-neo4j-backup');
  });

  it('refuses a prefix that makes an account ID IAM would reject', () => {
    expect(() => backupAccountId('aia-production-eu-west')).toThrow(
      /"aia-production-eu-west-neo4j-backup" is invalid: IAM accepts 6 to 30/,
    );
    expect(() => backupBucketName('AIA', 'us')).toThrow(/Cloud Storage accepts 3 to 63 lower-case/);
  });
});

describe('backupLifecycleRules', () => {
  it('expires live backups after the retention and their versions a week later', () => {
    expect(backupLifecycleRules(30)).toEqual([
      { action: { type: 'Delete' }, condition: { age: 30, withState: 'LIVE' } },
      {
        action: { type: 'Delete' },
        condition: { daysSinceNoncurrentTime: 7, withState: 'ARCHIVED' },
      },
    ]);
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => backupLifecycleRules(0)).toThrow(/whole number of days, 1 or more/);
    expect(() => backupLifecycleRules(1.5)).toThrow(/whole number of days/);
  });
});

describe('backup scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neo4j-backup-'));
  const bin = join(dir, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in on PATH that records its arguments and prints `output`. */
  function fake(command: string, output = '') {
    const path = join(bin, command);
    writeFileSync(join(dir, `${command}.out`), output);
    writeFileSync(
      path,
      `#!/bin/bash\nprintf '%s\\n' "$@" > "${dir}/${command}.args"\ncat "${dir}/${command}.out"\n`,
    );
    chmodSync(path, 0o755);
  }
  const run = (script: string, env: Record<string, string>) =>
    execFileSync('bash', ['-c', script.replaceAll('/backup/', `${dir}/`)], {
      env: { PATH: `${bin}:${process.env.PATH}`, ...env },
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('decodes every streamed chunk byte for byte, whatever quotes and newlines it holds', () => {
    const chunks = [
      ':begin\nCREATE CONSTRAINT UNIQUE_IMPORT_NAME FOR (n:`UNIQUE IMPORT LABEL`) REQUIRE n.id IS UNIQUE;\n:commit\n',
      ':param rows => [{name:"O\'Brien \\"the\\" \\\\ second", note:"naïve — ✓"}]\n',
      'UNWIND $rows AS row CREATE (n:Agent) SET n += row;',
    ];
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    // cypher-shell's plain format: a header line, then one quoted string per row.
    fake('cypher-shell', `chunk\n${chunks.map((c) => `"${b64(c)}"`).join('\n')}`);
    const log = run(EXPORT_SCRIPT, { EXPORT_QUERY });
    expect(gunzipSync(readFileSync(join(dir, 'neo4j.cypher.gz'))).toString('utf8')).toBe(
      chunks.join(''),
    );
    expect(log).toMatch(/^exported \d+ bytes$/m);
    expect(readFileSync(join(dir, 'cypher-shell.args'), 'utf8').split('\n')).toEqual([
      '--address',
      'bolt://neo4j:7687',
      '--format',
      'plain',
      '--non-interactive',
      EXPORT_QUERY,
      '',
    ]);
  });

  it('fails the job when the export fails', () => {
    writeFileSync(join(bin, 'cypher-shell'), '#!/bin/bash\necho refused >&2\nexit 1\n');
    expect(() => run(EXPORT_SCRIPT, { EXPORT_QUERY })).toThrow();
  });

  it('uploads under a UTC timestamp in the bucket', () => {
    fake('gcloud');
    const log = run(UPLOAD_SCRIPT, { BACKUP_BUCKET: 'aia-production-neo4j-backups' });
    const [verb, command, source, target] = readFileSync(join(dir, 'gcloud.args'), 'utf8').split(
      '\n',
    );
    expect([verb, command, source]).toEqual(['storage', 'cp', `${dir}/neo4j.cypher.gz`]);
    expect(target).toMatch(
      /^gs:\/\/aia-production-neo4j-backups\/neo4j\/\d{4}-\d{2}-\d{2}T\d{6}Z\.cypher\.gz$/,
    );
    expect(log).toContain(`uploaded ${target}`);
  });

  it('streams the whole graph with APOC, base64-encoded per chunk', () => {
    expect(EXPORT_QUERY).toContain('apoc.export.cypher.all(null, {stream: true');
    expect(EXPORT_QUERY).toContain('RETURN apoc.text.base64Encode(cypherStatements) AS chunk');
  });
});

describe('backupCronJobSpec', () => {
  const labels = { 'app.kubernetes.io/name': 'neo4j', 'app.kubernetes.io/component': 'backup' };
  const spec = backupCronJobSpec({
    schedule: '0 3 * * *',
    bucket: 'aia-production-neo4j-backups',
    passwordSecretName: 'neo4j-auth',
    storageGb: 200,
    labels,
  });

  it('is a valid batch/v1 CronJob', () => {
    const cronJob = new CronJob({
      metadata: { name: 'neo4j-backup', namespace: 'data' },
      spec: spec as never,
    });
    expect(() => cronJob.validate()).not.toThrow();
  });

  it('runs one backup at a time on the UTC schedule as the Workload Identity account', () => {
    expect(spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
    });
    const { jobTemplate } = spec as unknown as {
      jobTemplate: { spec: { template: { spec: Record<string, unknown> } } };
    };
    const pod = jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe(BACKUP_KSA);
    expect(pod.restartPolicy).toBe('Never');
  });
});
