import { Ajv } from 'ajv';
import type { CrdManifest } from './manifests.js';

type Schema = Record<string, unknown>;

/**
 * The CRD's schema made strict: an object that lists its properties accepts no others unless
 * the schema preserves unknown fields. The API server would prune such a field silently (or
 * refuse it under strict field validation); a field an API version removed is then caught here.
 */
function strict(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, sub]) => [name, strict(sub)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isSchema(value)) {
      out[key] = strict(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((sub) => (isSchema(sub) ? strict(sub) : sub));
    } else {
      out[key] = value;
    }
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * CRD patterns are Go (RE2) expressions: a leading `(?i)` becomes the `i` flag; a pattern
 * JavaScript cannot compile is not checked rather than failing the whole schema.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  const insensitive = pattern.startsWith('(?i)');
  const source = insensitive ? pattern.slice(4) : pattern;
  try {
    return new RegExp(source, insensitive ? `${flags}i` : flags);
  } catch {
    return /(?:)/;
  }
}
goRegExp.code = 'goRegExp';

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  validateFormats: false,
  code: { regExp: goRegExp },
});
/** Compiling the Kafka schema takes most of a second: once per CRD version. */
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/**
 * Problems of `object` against the CRD that defines its kind, as sentences: its API version is
 * not served, or a field is unknown, missing or of the wrong type. `[]` when the API server
 * would accept it. Only `spec` is checked (metadata is the API server's own).
 */
export function customResourceProblems(
  object: { apiVersion: string; kind: string; spec?: unknown },
  crds: readonly CrdManifest[],
): string[] {
  const [group, version] = object.apiVersion.split('/');
  const crd = crds.find((c) => c.spec.group === group && c.spec.names.kind === object.kind);
  if (!crd) return [`no CRD defines ${object.kind} in group ${group}`];
  const served = crd.spec.versions.find((v) => v.name === version && v.served);
  if (!served) {
    const versions = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
    return [
      `${object.kind} ${object.apiVersion} is not served by ${crd.metadata.name}: use ${versions.map((v) => `${group}/${v}`).join(' or ')}`,
    ];
  }
  const specSchema = (served.schema?.openAPIV3Schema?.properties as Record<string, Schema>)?.spec;
  if (!specSchema) return [];
  const validate = compiled.get(specSchema) ?? ajv.compile(strict(specSchema));
  compiled.set(specSchema, validate);
  if (validate(object.spec ?? {})) return [];
  return (validate.errors ?? []).map((error) => {
    const where = `spec${error.instancePath.replaceAll('/', '.')}`;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : '';
    return `${object.kind} ${where} ${error.message}${extra}`;
  });
}
