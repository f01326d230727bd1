import { serviceDefinition } from '../../services/catalog.js';
import { classRoutes, parseRoute } from '../../services/platform/llm/classes.js';
import type { ModelRoute, ProviderName } from '../../services/platform/llm/providers-list.js';
import { isEmbeddingClass } from '../../services/platform/llm/routing.js';
import { SECRET_KEYS, type SecretKey } from '../config.js';
import {
  EMBEDDING_PROVIDERS,
  LLM_SETTING_VARIABLES,
  type LlmSettings,
  type LlmVariable,
  llmServices,
  llmVariables,
} from './settings.js';

/** A provider a stack can enable: every one but the local model, which serves development only. */
export type StackProvider = Exclude<ProviderName, 'local'>;

/**
 * The variables that together enable each provider, as `enabledProviders` in
 * services/platform/llm/providers.ts reads them (a test holds the two together).
 */
export const PROVIDER_REQUIREMENTS: Readonly<Record<StackProvider, readonly LlmVariable[]>> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GOOGLE_API_KEY'],
  groq: ['GROQ_API_KEY'],
  azure: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_KEY'],
  bedrock: ['AWS_REGION'],
  huggingface: ['HUGGINGFACE_API_KEY'],
  'openai-compatible': ['OPENAI_COMPATIBLE_BASE_URL'],
};

/** The stack key a variable of the LLM services comes from: a secret, or a field of `llm`. */
export function stackKeyOf(variable: LlmVariable): string | undefined {
  const secret = Object.entries(SECRET_KEYS).find(([, { env }]) => env === variable);
  if (secret) return `aia-platform:${secret[0]} (secret)`;
  const field = Object.entries(LLM_SETTING_VARIABLES).find(([, name]) => name === variable);
  return field && `aia-platform:llm.${field[0]}`;
}

/** The LLM variables a stack gives its LLM services: its `llm` settings and the keys it sets. */
export function deliveredVariables(
  llm: LlmSettings,
  secrets: readonly SecretKey[],
): ReadonlySet<string> {
  return new Set([
    ...Object.keys(llmVariables(llm)),
    ...secrets.map((key) => SECRET_KEYS[key].env),
  ]);
}

/** The providers a set of delivered variables enables, in the services' order. */
export const enabledStackProviders = (variables: ReadonlySet<string>): StackProvider[] =>
  (Object.entries(PROVIDER_REQUIREMENTS) as [StackProvider, readonly LlmVariable[]][])
    .filter(([, needed]) => needed.every((variable) => variables.has(variable)))
    .map(([provider]) => provider);

export interface ClassWithoutProvider {
  readonly name: string;
  /** The providers its routes name that could serve it, each of which the stack leaves off. */
  readonly providers: readonly StackProvider[];
}

/** Can `provider` serve calls of `modelClass`? Embedding classes need embedding models. */
const serves = (modelClass: string, provider: ProviderName): provider is StackProvider =>
  provider !== 'local' && (!isEmbeddingClass(modelClass) || EMBEDDING_PROVIDERS.includes(provider));

/** The classes in force: the defaults with the stack's `llm.classes` in place of theirs. */
const classesInForce = (llm: LlmSettings) =>
  classRoutes(
    Object.fromEntries(
      Object.entries(llm.classes ?? {}).map(([name, routes]) => [
        name,
        // Validated by the schema already: every route parses.
        routes.map((route) => parseRoute(route) as ModelRoute),
      ]),
    ),
  );

/** The classes in force that no route to an enabled provider serves, as the services route. */
export function classesWithoutProvider(
  llm: LlmSettings,
  secrets: readonly SecretKey[],
): ClassWithoutProvider[] {
  const enabled = new Set<string>(enabledStackProviders(deliveredVariables(llm, secrets)));
  return Object.entries(classesInForce(llm)).flatMap(([name, routes]) => {
    const candidates = [...new Set(routes.map((route) => route.provider))].filter((provider) =>
      serves(name, provider),
    );
    return candidates.some((provider) => enabled.has(provider))
      ? []
      : [{ name, providers: candidates }];
  });
}

/**
 * The classes each LLM service needs to start (its catalog `llmClasses`). The stacks render no
 * setting that `llmClassesRequiredWith` names (venture discovery's assistance stays off there),
 * so a service whose classes wait on one needs none.
 */
export const requiredClasses = (): Record<string, readonly string[]> =>
  Object.fromEntries(
    llmServices().map((name) => {
      const definition = serviceDefinition(name);
      return [name, definition.llmClassesRequiredWith ? [] : (definition.llmClasses ?? [])];
    }),
  );

/** How to enable one provider, in stack keys: `a` or `a with b`. */
const howToEnable = (provider: StackProvider) =>
  PROVIDER_REQUIREMENTS[provider]
    .map((variable) => stackKeyOf(variable) ?? variable)
    .join(' with ');

/**
 * One sentence per class a service calls that no enabled provider serves (or that the stack does
 * not configure): the service refuses to start on staging and production, so a preview says so
 * first, naming the class, the services and the keys that would enable one of its providers. A
 * warning, not an error: a stack's first deploy may come before its provider accounts, and the
 * rest of the platform does not depend on them.
 */
export function llmProviderWarnings(
  stack: string,
  llm: LlmSettings,
  secrets: readonly SecretKey[],
  required: Readonly<Record<string, readonly string[]>> = requiredClasses(),
): string[] {
  const inForce = classesInForce(llm);
  const unserved = new Map(classesWithoutProvider(llm, secrets).map((c) => [c.name, c]));
  const classes = [...new Set(Object.values(required).flat())];
  return classes.flatMap((name) => {
    const services = Object.keys(required)
      .filter((service) => required[service]?.includes(name))
      .join(' and ');
    const refuse = `LLM class "${name}" ${name in inForce ? 'has no enabled provider' : 'is not configured'} on stack ${stack}, so ${services} will refuse to start`;
    const docs = '(docs/llm.md, "Providers and keys")';
    if (!(name in inForce))
      return [`${refuse}: add its routes to aia-platform:llm.classes ${docs}.`];
    const providers = unserved.get(name)?.providers;
    if (!providers) return [];
    return [
      `${refuse}: set ${providers.map(howToEnable).join(', or ')}; ` +
        `or route the class to an enabled provider in aia-platform:llm.classes ${docs}.`,
    ];
  });
}
