import { classRoutes } from './classes.js';
import type { LlmConfig } from './env.js';
import { LlmConfigurationError } from './errors.js';
import type { EnabledProvider } from './providers.js';
import { type ModelRoute, type ProviderName, routeName } from './providers-list.js';
import type { LlmInfo } from './types.js';

/** The variables that turn each provider on, for error messages and docs. */
export const ENABLED_BY: Readonly<Record<ProviderName, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_API_KEY',
  groq: 'GROQ_API_KEY',
  azure: 'AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_KEY',
  bedrock: 'AWS_REGION (with AWS credentials)',
  huggingface: 'HUGGINGFACE_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
  local: 'ENVIRONMENT=development or test',
};

/** Classes whose calls are embeddings: their routes need a provider with embedding models. */
export const isEmbeddingClass = (modelClass: string) => modelClass.startsWith('embedding');

const usesLocal = (classes: Readonly<Record<string, readonly ModelRoute[]>>) =>
  Object.values(classes).some((routes) => routes.some((route) => route.provider === 'local'));

export interface Routing {
  /** Every class's enabled routes, in fallback order. */
  readonly classes: Readonly<Record<string, readonly ModelRoute[]>>;
  readonly providers: ReadonlyMap<ProviderName, EnabledProvider>;
  info(): LlmInfo;
}

/**
 * Resolves each class to its enabled routes. In development and test a class with none is served
 * by the local model; on staging and production a required class with none, or a route to the
 * local model, is a configuration error naming the class and what would enable it.
 */
export function createRouting(
  config: Pick<LlmConfig, 'ENVIRONMENT' | 'LLM_CLASSES'>,
  enabled: readonly EnabledProvider[],
  local: EnabledProvider,
  requiredClasses: readonly string[],
): Routing {
  const deployed = config.ENVIRONMENT === 'staging' || config.ENVIRONMENT === 'production';
  const providers = new Map<ProviderName, EnabledProvider>(enabled.map((p) => [p.name, p]));
  if (!deployed) providers.set('local', local);
  const problems: { field: string; reason: string }[] = [];
  const classes: Record<string, ModelRoute[]> = {};
  for (const [modelClass, routes] of Object.entries(classRoutes(config.LLM_CLASSES))) {
    if (deployed && routes.some((route) => route.provider === 'local'))
      problems.push({
        field: 'LLM_CLASSES',
        reason: `class "${modelClass}" routes to the local model, which serves development and test only`,
      });
    const usable = routes.filter((route) => {
      const provider = providers.get(route.provider);
      return provider && (!isEmbeddingClass(modelClass) || provider.embeddingModel);
    });
    if (usable.length === 0 && !deployed)
      usable.push({ provider: 'local', model: `local-${modelClass}` });
    if (usable.length === 0 && requiredClasses.includes(modelClass)) {
      const enablers = [...new Set(routes.map((route) => ENABLED_BY[route.provider]))];
      problems.push({
        field: 'LLM_CLASSES',
        reason: `class "${modelClass}" has no enabled provider: set ${enablers.join(', or ')} (its routes: ${routes.map(routeName).join(', ')})`,
      });
    }
    classes[modelClass] = usable;
  }
  for (const modelClass of requiredClasses.filter((name) => !(name in classes)))
    problems.push({
      field: 'LLM_CLASSES',
      reason: `class "${modelClass}" is not configured: add its routes`,
    });
  if (problems.length > 0) throw new LlmConfigurationError(problems);
  return {
    classes,
    providers,
    info: () => ({
      providers: [...providers.keys()].filter((name) => name !== 'local' || usesLocal(classes)),
      classes: Object.fromEntries(
        Object.entries(classes).map(([name, routes]) => [name, routes.map(routeName)]),
      ),
      local: usesLocal(classes),
    }),
  };
}
