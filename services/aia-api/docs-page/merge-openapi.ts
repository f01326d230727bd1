import type { ServiceName } from '../../catalog.js';
import { GATEWAY_ROUTES, type GatewayRoute, gatewayPathOf } from '../routing/route-table.js';

/** The parts of an OpenAPI 3.1 document the merge reads and writes. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
  };
  readonly servers?: readonly { readonly url: string }[];
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
}

/** One service's document, as it serves it at its `/v1/openapi.json` (paths relative to `/v1`). */
export interface ServiceDocument {
  readonly service: ServiceName;
  readonly document: OpenApiDocument;
}

export interface MergeOptions {
  /** The gateway's own document (its routes under `/v1`). */
  readonly gateway: OpenApiDocument;
  /** The upstreams' documents that could be read; the others are listed in `unavailable`. */
  readonly upstreams: readonly ServiceDocument[];
  /** Upstreams whose document could not be read just now, named in the description. */
  readonly unavailable?: readonly ServiceName[];
  readonly table?: Readonly<Record<string, GatewayRoute>>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** Security schemes every service declares alike (the kit's bearer scheme): kept once, unprefixed. */
const SHARED_SECURITY_SCHEMES = 'securitySchemes';
const API = '/v1';

/**
 * One OpenAPI 3.1 document for the whole platform as seen through the gateway: every service's
 * paths rewritten to their gateway paths (`/accounts` of the governor → `/v1/ledger/accounts`),
 * its components renamed `<service>.<name>` (with every `$ref` to them) so two services' `Account`
 * never collide, its operation ids and tags prefixed with the service, and the kit's bearer scheme
 * kept once. Pure: the caller fetches the documents.
 */
export function mergeOpenApiDocuments({
  gateway,
  upstreams,
  unavailable = [],
  table = GATEWAY_ROUTES,
}: MergeOptions): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags: { name: string; description?: string }[] = [];
  const sources: (ServiceDocument & { readonly pathOf: (path: string) => string | undefined })[] = [
    { service: 'aia-api', document: gateway, pathOf: (path) => `${API}${path}` },
    ...upstreams.map((upstream) => ({
      ...upstream,
      pathOf: (path: string) => gatewayPathOf(upstream.service, `${API}${path}`, table),
    })),
  ];
  for (const { service, document, pathOf } of sources) {
    const renamed = renameComponents(service, document);
    for (const [kind, entries] of Object.entries(renamed.components ?? {})) {
      components[kind] = { ...components[kind], ...entries };
    }
    const serviceTags = new Set<string>();
    for (const [path, item] of Object.entries(renamed.paths ?? {})) {
      const gatewayPath = pathOf(path);
      if (gatewayPath === undefined) continue;
      paths[gatewayPath] = Object.fromEntries(
        Object.entries(item).map(([method, operation]) =>
          HTTP_METHODS.has(method)
            ? [method, prefixOperation(service, operation as Operation, serviceTags)]
            : [method, operation],
        ),
      );
    }
    const described = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const name of [...serviceTags].sort()) {
      const description = described.get(name.slice(service.length + 1));
      tags.push({ name, description: description ?? document.info.title });
    }
  }
  const missing = unavailable.length
    ? `\n\nNot listed just now (their documents could not be read): ${unavailable.join(', ')}.`
    : '';
  return {
    openapi: '3.1.0',
    info: {
      title: 'AIA Platform API',
      version: gateway.info.version,
      description: `Every service's API through the gateway, one host, by path prefix (docs/gateway.md).${missing}`,
    },
    servers: [{ url: '/' }],
    paths,
    components,
    tags,
  };
}

interface Operation {
  readonly operationId?: string;
  readonly tags?: readonly string[];
  readonly [key: string]: unknown;
}

/** `operation` with its id and tags under `service` (untagged operations get the service's tag). */
function prefixOperation(service: string, operation: Operation, tags: Set<string>): Operation {
  const named = (operation.tags?.length ? operation.tags : ['api']).map(
    (tag) => `${service}/${tag}`,
  );
  for (const tag of named) tags.add(tag);
  return {
    ...operation,
    tags: named,
    ...(operation.operationId ? { operationId: `${service}.${operation.operationId}` } : {}),
  };
}

/** `document` with its components (but the shared security schemes) renamed `<service>.<name>`. */
function renameComponents(service: string, document: OpenApiDocument): OpenApiDocument {
  const renames = new Map<string, string>();
  const components: Record<string, Record<string, unknown>> = {};
  for (const [kind, entries] of Object.entries(document.components ?? {})) {
    const shared = kind === SHARED_SECURITY_SCHEMES;
    components[kind] = Object.fromEntries(
      Object.entries(entries).map(([name, value]) => {
        const target = shared ? name : `${service}.${name}`;
        renames.set(`#/components/${kind}/${name}`, `#/components/${kind}/${target}`);
        return [target, value];
      }),
    );
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string'
          ? (renames.get(inner) ?? inner)
          : rewrite(inner),
      ]),
    );
  };
  return {
    ...document,
    paths: rewrite(document.paths ?? {}) as OpenApiDocument['paths'],
    components: rewrite(components) as OpenApiDocument['components'],
  };
}
