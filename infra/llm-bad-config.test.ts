import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';

let dir = '';
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

/** LLM mistakes a person makes in one stack file: every one must be listed, with its key. */
const MISTAKES = `  aia-platform:llm:
    classes:
      fast: ["gpt-4.1-mini"]
      embedding: ["groq:llama-3.1-8b-instant"]
    maxRetries: 9
    awsRegion: us-east-1
    openaiCompatibelBaseUrl: http://vllm.inference.svc:8000/v1
  aia-platform:azureOpenaiKey: { secure: v1:azure }
  aia-platform:awsAccessKeyId: { secure: v1:aws-id }
  aia-platform:openaiCompatibleApiKey: sk-plain
`;

describe('a stack with a bad LLM configuration', () => {
  it('fails before creating anything, naming each key, why, and what to set', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llm-bad-config-'));
    const staging = await readFile(join(repositoryRoot, 'Pulumi.staging.yaml'), 'utf8');
    const stackFile = join(dir, 'Pulumi.staging.yaml');
    await writeFile(stackFile, staging.replace('config:\n', `config:\n${MISTAKES}`));
    const message = await runPlan({ root: repositoryRoot, stack: 'staging', stackFile }).then(
      () => '',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(message.split('\n')).toEqual([
      'StackConfigError: Invalid configuration for stack staging:',
      expect.stringMatching(
        /^ {2}- aia-platform:llm → classes\.fast\.0: "gpt-4\.1-mini" is not provider:model/,
      ),
      '  - aia-platform:llm → classes.embedding.0: "groq:llama-3.1-8b-instant": groq has no embedding models, and embedding is an embedding class (its name starts with embedding): route it to openai, google, azure, bedrock, openai-compatible',
      "  - aia-platform:llm → maxRetries: Too big: expected number to be <=5 (the LLM services' LLM_MAX_RETRIES)",
      '  - aia-platform:llm: unknown field "openaiCompatibelBaseUrl" (did you mean "openaiCompatibleBaseUrl"?): correct or remove it in the stack file',
      '  - aia-platform:openaiCompatibleApiKey: is stored in plain text in the stack file; a secret must be encrypted: pulumi config set --secret aia-platform:openaiCompatibleApiKey <value>',
      "  - aia-platform:azureOpenaiKey: Azure needs its resource's endpoint as well, or the LLM services refuse to start: pulumi config set --path aia-platform:llm.azureEndpoint https://<resource>.openai.azure.com, or pulumi config rm aia-platform:azureOpenaiKey",
      '  - aia-platform:awsAccessKeyId: the AWS credential chain reads an access key only with its pair: pulumi config set --secret aia-platform:awsSecretAccessKey <value>, or pulumi config rm aia-platform:awsAccessKeyId',
      "  - aia-platform:openaiCompatibleApiKey: a key for an OpenAI-compatible server needs the server's URL: pulumi config set --path aia-platform:llm.openaiCompatibleBaseUrl http://<host>:<port>/v1, or pulumi config rm aia-platform:openaiCompatibleApiKey",
      'Nothing was created. Fix these in Pulumi.staging.yaml (or with pulumi config) and run again.',
    ]);
    expect(message).not.toContain('sk-plain');
  });
});
