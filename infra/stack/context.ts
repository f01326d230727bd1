import type * as pulumi from '@pulumi/pulumi';
import type { LoadedConfig } from '../config.js';

/** What every part of the stack is built from. */
export interface StackContext {
  readonly config: LoadedConfig['config'];
  readonly secrets: LoadedConfig['secrets'];
  readonly receiverSecrets: LoadedConfig['receiverSecrets'];
  /** Every resource name starts with this, so names are deterministic per stack. */
  readonly prefix: string;
  readonly labels: Record<string, string>;
}

/** Options that make a resource wait for the Google APIs it calls. */
export type AfterApis = { readonly dependsOn: pulumi.Resource[] };
