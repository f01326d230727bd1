/** What a resource's labels say about it: who owns it, which stack and which service it serves. */
export interface ResourceLabelArgs {
  /** Stack name, such as `staging` or `production`. */
  readonly environment: string;
  /** The service the resource belongs to. Default: `platform` (shared infrastructure). */
  readonly service?: string;
  /** The team answerable for it. Default: `platform`. */
  readonly owner?: string;
}

/**
 * The labels every labelable Google Cloud resource carries: `owner`, `environment`, `service`
 * (the keys a policy requires) and `managed-by: pulumi`.
 */
export function resourceLabels({
  environment,
  service = 'platform',
  owner = 'platform',
}: ResourceLabelArgs): Record<string, string> {
  return { owner, environment, service, 'managed-by': 'pulumi' };
}
