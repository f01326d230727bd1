/**
 * Every provider the layer can route a class to: the seven the seed names, any OpenAI-compatible
 * endpoint (vLLM, llama.cpp, Ollama), and the deterministic local model (development and tests).
 */
export const PROVIDER_NAMES = [
  'openai',
  'anthropic',
  'google',
  'groq',
  'azure',
  'bedrock',
  'huggingface',
  'openai-compatible',
  'local',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** A class's candidate: which provider, and its own model id there (an Azure deployment name). */
export interface ModelRoute {
  readonly provider: ProviderName;
  readonly model: string;
}

/** `provider:model`, the way routes are written in LLM_CLASSES and in metrics. */
export const routeName = ({ provider, model }: ModelRoute): string => `${provider}:${model}`;
