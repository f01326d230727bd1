import { isServiceName, serviceDefinition } from '../../catalog.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * Scopes `caller` may carry in its service tokens toward `callee`: what the catalog's `calls` of
 * the caller grant (none for a caller or callee that is not in the catalog).
 */
export type CallGrants = (caller: string, callee: string) => ReadonlySet<string>;

/** {@link CallGrants} from the service catalog: `catalog[caller].calls[callee]`. */
export const catalogGrants: CallGrants = (caller, callee) => {
  if (!isServiceName(caller)) return NONE;
  const scopes = serviceDefinition(caller).calls[callee];
  return scopes ? new Set(scopes) : NONE;
};
