import { AppError, ValidationError } from '../../platform/errors.js';
import { GraphKeyTakenError, GraphNodeMissingError } from '../graph/graph-store.js';

/** Codes of the registries' 409s, each one rule: the problem's `type` ends with it. */
export type DkgRefusalCode =
  | 'name_taken'
  | 'version_conflict'
  | 'lineage_cycle'
  | 'hierarchy_cycle';

/** A change the graph's current state refuses; the problem names the rule and the field. */
export class DkgRefusedError extends AppError {
  constructor(code: DkgRefusalCode, reason: string, field: string) {
    super(409, code, reason, { extensions: { errors: [{ field, reason }] } });
  }
}

/** A request naming an entry or version that does not exist: 422 naming the field. */
export const unknownReference = (field: string, id: string) =>
  new ValidationError([{ field, reason: `no entry or version ${id}` }]);

/** Turns the graph's refusals into the API's: a taken key is a duplicate name. */
export function asDkgError(
  error: unknown,
  fields: { readonly from?: string; readonly to?: string } = {},
): unknown {
  if (error instanceof GraphKeyTakenError && error.label === 'Version')
    return new DkgRefusedError(
      'version_conflict',
      'another version of this entry was added at the same time: read it and try again',
      'id',
    );
  if (error instanceof GraphKeyTakenError)
    return new DkgRefusedError(
      'name_taken',
      'another entry of this registry has this name',
      'name',
    );
  if (error instanceof GraphNodeMissingError)
    return unknownReference(fields[error.end] ?? error.end, error.id);
  return error;
}
