import type { Logger } from 'pino';
import { upstreamUrl } from '../../catalog/upstreams.js';
import { catalog, type ServiceName } from '../../catalog.js';
import { GATEWAY_ROUTES } from '../routing/route-table.js';
import {
  mergeOpenApiDocuments,
  type OpenApiDocument,
  type ServiceDocument,
} from './merge-openapi.js';

export interface MergedDocumentOptions {
  /** The gateway's configuration (`<SERVICE>_URL` of each upstream). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The gateway's own document. */
  readonly gatewayDocument: () => OpenApiDocument;
  /** A bearer token the upstreams accept for reading their documents (no scopes needed). */
  readonly token: () => Promise<string>;
  readonly logger?: Logger;
  /** How long a merged document is reused. Default 60 s; 5 s while an upstream is missing. */
  readonly cacheMs?: number;
  /** How long one upstream's document may take. Default 5 s. */
  readonly timeoutMs?: number;
}

const INCOMPLETE_CACHE_MS = 5_000;

/**
 * The platform's merged OpenAPI document, read from the upstreams that run now (each serves its
 * own at `/v1/openapi.json`, so the page shows the versions deployed, whichever colour is live)
 * and reused for a while. An upstream that does not answer is left out and named in the
 * description; the document is then re-read sooner.
 */
export function mergedDocument({
  config,
  gatewayDocument,
  token,
  logger,
  cacheMs = 60_000,
  timeoutMs = 5_000,
}: MergedDocumentOptions): () => Promise<OpenApiDocument> {
  const services = [...new Set(Object.values(GATEWAY_ROUTES).map((route) => route.upstream))];
  let cached: { document: Promise<OpenApiDocument>; until: number } | undefined;

  const read = async (service: ServiceName, bearer: string): Promise<ServiceDocument> => {
    const base = upstreamUrl(catalog[service], config).replace(/\/+$/, '');
    const response = await fetch(`${base}/v1/openapi.json`, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return { service, document: (await response.json()) as OpenApiDocument };
  };

  const build = async (): Promise<{ document: OpenApiDocument; complete: boolean }> => {
    const bearer = await token();
    const results = await Promise.allSettled(services.map((service) => read(service, bearer)));
    const upstreams: ServiceDocument[] = [];
    const unavailable: ServiceName[] = [];
    results.forEach((result, index) => {
      const service = services[index] as ServiceName;
      if (result.status === 'fulfilled') upstreams.push(result.value);
      else {
        unavailable.push(service);
        logger?.warn(
          { upstream: service, reason: (result.reason as Error).message },
          'API document of an upstream not readable: left out of the merged document',
        );
      }
    });
    return {
      document: mergeOpenApiDocuments({ gateway: gatewayDocument(), upstreams, unavailable }),
      complete: unavailable.length === 0,
    };
  };

  return () => {
    const now = Date.now();
    if (cached && cached.until > now) return cached.document;
    const building = build();
    const entry = { document: building.then((built) => built.document), until: now + cacheMs };
    cached = entry;
    building.then(
      ({ complete }) => {
        if (!complete) entry.until = Math.min(entry.until, Date.now() + INCOMPLETE_CACHE_MS);
      },
      () => {
        if (cached === entry) cached = undefined;
      },
    );
    return entry.document;
  };
}
