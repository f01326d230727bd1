import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serviceNames } from '../services/catalog.js';
import { queries, repositoryRoot } from '../test/harness/plan-queries.js';
import { secretPlaceholder } from '../tools/plan/placeholders.js';
import { type Plan, runPlan } from '../tools/plan/run-plan.js';
import { REDACTED, redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan } from '../tools/policy-check/check.js';

/**
 * The staging stack with every LLM provider setting a person would make: routes per class (one
 * class on a provider the stack leaves off), the budgets' rate and limits, Azure, Bedrock with
 * static keys, an OpenAI-compatible server inside the cluster on vLLM's port, a gateway in front
 * of Anthropic. `secure:` values become placeholders offline, as for a real stack file.
 */
const LLM_CONFIG = `  aia-platform:llm:
    classes:
      fast: ["openai-compatible:llama-3.1-8b-instruct", "openai:gpt-4.1-mini"]
      strong: ["groq:llama-3.3-70b-versatile"]
    aiaPerUsd: 120
    timeoutMs: 30000
    maxRetries: 1
    maxConcurrency: 8
    azureEndpoint: https://aia-staging.openai.azure.com
    awsRegion: us-east-1
    openaiCompatibleBaseUrl: http://vllm.inference.svc.cluster.local:8000/v1
    baseUrls: { anthropic: "https://llm-gateway.aia-platform.dev/anthropic" }
  aia-platform:openaiApiKey: { secure: v1:openai }
  aia-platform:azureOpenaiKey: { secure: v1:azure }
  aia-platform:openaiCompatibleApiKey: { secure: v1:vllm }
  aia-platform:awsAccessKeyId: { secure: v1:aws-id }
  aia-platform:awsSecretAccessKey: { secure: v1:aws-secret }
`;

const LLM_SERVICES = ['agent-orchestrator', 'venture-discovery'];
const KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AZURE_OPENAI_KEY',
  'OPENAI_API_KEY',
  'OPENAI_COMPATIBLE_API_KEY',
];

let dir = '';
let plan: Plan;
let q: ReturnType<typeof queries>;
const warnings: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-stack-'));
  const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
  const stackFile = join(dir, 'Pulumi.staging.yaml');
  await writeFile(stackFile, staging.replace('config:\n', `config:\n${LLM_CONFIG}`));
  // Without an engine, pulumi.log.warn writes to console.warn.
  const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => {
    warnings.push(String(message));
  });
  try {
    plan = await runPlan({ root: repositoryRoot, stack: 'staging', stackFile });
  } finally {
    warn.mockRestore();
  }
  q = queries(plan);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a stack that enables LLM providers', () => {
  it.each(LLM_SERVICES)(
    'gives %s the llm settings in its ConfigMap, as its schema reads them',
    (service) => {
      const { config } = q.environmentOf(service);
      expect(config).toMatchObject({
        LLM_AIA_PER_USD: '120',
        LLM_TIMEOUT_MS: '30000',
        LLM_MAX_RETRIES: '1',
        LLM_MAX_CONCURRENCY: '8',
        AZURE_OPENAI_ENDPOINT: 'https://aia-staging.openai.azure.com',
        AWS_REGION: 'us-east-1',
        OPENAI_COMPATIBLE_BASE_URL: 'http://vllm.inference.svc.cluster.local:8000/v1',
        ANTHROPIC_BASE_URL: 'https://llm-gateway.aia-platform.dev/anthropic',
      });
      expect(JSON.parse(config.LLM_CLASSES ?? '')).toEqual({
        fast: ['openai-compatible:llama-3.1-8b-instruct', 'openai:gpt-4.1-mini'],
        strong: ['groq:llama-3.3-70b-versatile'],
      });
      // Unset settings stay unset: the services' defaults apply.
      expect(config).not.toHaveProperty('AZURE_OPENAI_API_VERSION');
      expect(config).not.toHaveProperty('LLM_LOG_CONTENT');
      for (const key of KEYS) expect(config, key).not.toHaveProperty(key);
    },
  );

  it.each(LLM_SERVICES)(
    'gives %s every provider key and the AWS keys in its Secret, each a secret',
    (service) => {
      const { secrets, wrappedSecrets } = q.environmentOf(service);
      for (const key of KEYS) expect(Object.keys(secrets)).toContain(key);
      expect(secrets.AWS_SECRET_ACCESS_KEY).toBe(
        secretPlaceholder('config-aia-platform-awsSecretAccessKey'),
      );
      const redacted = redactSecrets(wrappedSecrets) as Record<string, unknown>;
      for (const key of KEYS) expect(redacted[key], key).toBe(REDACTED);
    },
  );

  it('gives no other service an LLM setting or key', () => {
    const others = serviceNames.filter((name) => !LLM_SERVICES.includes(name));
    expect(others.length).toBe(4);
    for (const service of others) {
      const { config, secrets } = q.environmentOf(service);
      const variables = [...Object.keys(config), ...Object.keys(secrets ?? {})];
      expect(
        variables.filter((name) => /^(LLM_|AWS_|AZURE_|OPENAI_)/.test(name)),
        service,
      ).toEqual([]);
    }
  });

  it('stores each new key in Secret Manager like the other provider keys', () => {
    const ids = q
      .ofType('gcp:secretmanager/secret:Secret')
      .map((secret) => q.inputsOf(secret).secretId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'aia-staging-openai-compatible-api-key',
        'aia-staging-aws-access-key-id',
        'aia-staging-aws-secret-access-key',
        'aia-staging-azure-openai-key',
      ]),
    );
    expect(plan.outputs.secretIds).toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });

  it("lets the LLM services reach the in-cluster server's namespace on the URL's port", () => {
    const policy = q
      .ofType('kubernetes:networking.k8s.io/v1:NetworkPolicy')
      .map(q.inputsOf)
      .find((p) => p.metadata.name === 'allow-llm-providers-egress');
    expect(policy?.metadata.namespace).toBe('aia');
    expect(policy?.spec.podSelector.matchExpressions[0].values.sort()).toEqual(LLM_SERVICES);
    expect(policy?.spec.egress).toContainEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'inference' } },
          podSelector: { matchLabels: {} },
        },
      ],
      ports: [{ protocol: 'TCP', port: 8000 }],
    });
  });

  it('warns about the class no enabled provider serves, naming it and the key that would', () => {
    const llm = warnings.filter((warning) => warning.includes('LLM class'));
    expect(llm).toEqual([
      expect.stringMatching(
        /^warning: \[runtime\] LLM class "strong" has no enabled provider on stack staging, so agent-orchestrator will refuse to start: set aia-platform:groqApiKey \(secret\);/,
      ),
    ]);
  });

  it('passes the policy pack', async () => {
    const resources = plan.resources.map((r) => ({
      ...r,
      inputs: redactSecrets(r.inputs) as Record<string, unknown>,
    }));
    const verdict = await checkPlan('staging', resources);
    expect(verdict.violations.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
  });
});
