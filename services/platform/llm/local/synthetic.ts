import type { SharedV4ProviderMetadata } from '@ai-sdk/provider';

/** The provider id every local model reports, and the key of its provider metadata. */
export const LOCAL_PROVIDER = 'local';

/** What every local result carries so no one mistakes it for a model's answer. */
export const syntheticMetadata = (): SharedV4ProviderMetadata => ({
  [LOCAL_PROVIDER]: { synthetic: true },
});
