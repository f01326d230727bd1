export { embedText, LOCAL_EMBEDDING_DIMENSIONS, localEmbeddingModel } from './embedding-model.js';
export { type ValueSource, valueForSchema } from './json-schema-value.js';
export { localLanguageModel } from './language-model.js';
export { createLocalProvider, type LocalProvider } from './provider.js';
export { LOCAL_PROVIDER, syntheticMetadata } from './synthetic.js';
