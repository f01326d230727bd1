import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServiceDefinition } from '../../catalog/types.js';
import { ConfigError } from '../config.js';
import type { LlmConfig } from './env.js';
import { LlmConfigurationError } from './errors.js';
import { createLlm } from './llm.js';
import { createLocalProvider } from './local/index.js';
import type { EnabledProvider } from './providers.js';
import type { Llm } from './types.js';

const localProvider = (): EnabledProvider => {
  const local = createLocalProvider();
  return {
    name: 'local',
    languageModel: (id) => local.languageModel(id),
    embeddingModel: (id) => local.embeddingModel(id),
  };
};

/** The classes the service cannot start without: none while the setting they serve is off. */
export const requiredClassesOf = (
  definition: ServiceDefinition,
  config: Readonly<Record<string, unknown>>,
): readonly string[] => {
  const switchedBy = definition.llmClassesRequiredWith;
  if (switchedBy !== undefined && config[switchedBy] !== true) return [];
  return definition.llmClasses ?? [];
};

/**
 * The LLM layer of a started service whose env takes the LLM variables; undefined otherwise. A
 * class the catalog says it needs (`requiredClassesOf`) without an enabled provider is a
 * configuration error (exit 78).
 */
export function llmOf(
  definition: ServiceDefinition,
  config: Readonly<Record<string, unknown>>,
  logger: Logger,
  registry: Registry,
): Llm | undefined {
  if (!('LLM_CLASSES' in definition.env.shape)) return undefined;
  try {
    return createLlm({
      // The definition's env schema parsed `config`, and it holds the LLM variables.
      config: config as unknown as LlmConfig,
      logger,
      registry,
      local: localProvider(),
      requiredClasses: requiredClassesOf(definition, config),
    });
  } catch (error) {
    if (error instanceof LlmConfigurationError)
      throw new ConfigError(definition.name, error.issues);
    throw error;
  }
}
