/**
 * The name a message gives a resource: its cloud name (`name`, or `secretId` for Secret Manager)
 * when the inputs set one, else the Pulumi resource name.
 */
export function resourceNameOf(props: object, args: { readonly name: string }): string {
  const { name, secretId } = props as { name?: unknown; secretId?: unknown };
  if (typeof name === 'string' && name !== '') return name;
  if (typeof secretId === 'string' && secretId !== '') return secretId;
  return args.name;
}
