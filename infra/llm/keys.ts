import type { ConfigProblem } from '../config-secrets.js';

/** The secret keys of the LLM layer this module pairs with `aia-platform:llm`'s fields. */
type PairedKey =
  | 'azureOpenaiKey'
  | 'awsAccessKeyId'
  | 'awsSecretAccessKey'
  | 'openaiCompatibleApiKey';

const secretCommand = (key: PairedKey) => `pulumi config set --secret aia-platform:${key} <value>`;
const pathCommand = (field: string, value: string) =>
  `pulumi config set --path aia-platform:llm.${field} ${value}`;

/**
 * Secrets and `aia-platform:llm` fields that only work together. Azure needs its endpoint and its
 * key, or the LLM services refuse to start; Bedrock's static keys come as a pair and do nothing
 * without the region that enables Bedrock; an OpenAI-compatible key needs the server's URL. A key
 * left without its partner would sit in Secret Manager doing nothing, so each is refused, saying
 * what to set (or remove). Only the fields' presence counts, so `llm` may be the stack's value as
 * written: the pairs are listed even when another field is invalid.
 */
export function llmKeyProblems(
  llm: Readonly<Record<string, unknown>>,
  isSet: (key: PairedKey) => boolean,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (llm.azureEndpoint !== undefined && !isSet('azureOpenaiKey')) {
    problems.push({
      key: 'aia-platform:llm → azureEndpoint',
      reason: `Azure needs its key as well, or the LLM services refuse to start (AZURE_OPENAI_KEY is required with AZURE_OPENAI_ENDPOINT): ${secretCommand('azureOpenaiKey')}`,
    });
  }
  if (llm.azureEndpoint === undefined && isSet('azureOpenaiKey')) {
    problems.push({
      key: 'aia-platform:azureOpenaiKey',
      reason: `Azure needs its resource's endpoint as well, or the LLM services refuse to start: ${pathCommand('azureEndpoint', 'https://<resource>.openai.azure.com')}, or pulumi config rm aia-platform:azureOpenaiKey`,
    });
  }
  const awsKeys = (['awsAccessKeyId', 'awsSecretAccessKey'] as const).filter(isSet);
  if (awsKeys.length === 1) {
    const missing = awsKeys[0] === 'awsAccessKeyId' ? 'awsSecretAccessKey' : 'awsAccessKeyId';
    problems.push({
      key: `aia-platform:${awsKeys[0]}`,
      reason: `the AWS credential chain reads an access key only with its pair: ${secretCommand(missing)}, or pulumi config rm aia-platform:${awsKeys[0]}`,
    });
  }
  if (awsKeys.length > 0 && llm.awsRegion === undefined) {
    problems.push({
      key: awsKeys.map((key) => `aia-platform:${key}`).join(', '),
      reason: `AWS keys without aia-platform:llm.awsRegion enable nothing (the region enables Bedrock): ${pathCommand('awsRegion', '<region such as us-east-1>')}, or remove the keys`,
    });
  }
  if (llm.openaiCompatibleBaseUrl === undefined && isSet('openaiCompatibleApiKey')) {
    problems.push({
      key: 'aia-platform:openaiCompatibleApiKey',
      reason: `a key for an OpenAI-compatible server needs the server's URL: ${pathCommand('openaiCompatibleBaseUrl', 'http://<host>:<port>/v1')}, or pulumi config rm aia-platform:openaiCompatibleApiKey`,
    });
  }
  return problems;
}
