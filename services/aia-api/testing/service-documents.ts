import { testPublicKeys, testServiceKeys } from '../../../test/harness/jwt.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { type ServiceName, serviceDefinition, serviceNames } from '../../catalog.js';
import { serviceModules } from '../../modules.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createDatabase } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { emptyModule } from '../../platform/module.js';
import { mergeOpenApiDocuments, type OpenApiDocument } from '../docs-page/merge-openapi.js';

/**
 * Service `name`'s own OpenAPI document (paths relative to `/v1`), from its module built as the
 * runtime builds it, without a server or a database (connected lazily, never queried).
 */
export async function serviceDocument(name: ServiceName): Promise<OpenApiDocument> {
  const module = serviceModules[name] ?? emptyModule(serviceDefinition(name));
  const db = createDatabase({ url: 'postgres://127.0.0.1:9/none', applicationName: 'documents' });
  try {
    const { routes } = moduleRoutes(name, module, {
      db,
      verify: createJwtVerifier({
        publicKeys: testPublicKeys,
        issuer: 'aia-platform',
        audience: 'aia-platform',
      }),
      registry: createServiceMetrics({ service: name, declared: serviceDefinition(name).metrics })
        .registry,
      env: {
        ...(name in testServiceKeys
          ? { SERVICE_SIGNING_KEY: testServiceKeys[name] as string }
          : {}),
        ENCRYPTION_KEY: 'e'.repeat(32),
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
      },
    });
    // The router's own document: the gateway serves a merged one at /openapi.json instead.
    return routes.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: module.api.title, version: module.api.version ?? '1' },
    }) as unknown as OpenApiDocument;
  } finally {
    await db.end();
  }
}

/** The platform's merged document (as the gateway serves it), from every module in-process. */
export async function mergedPlatformDocument(): Promise<OpenApiDocument> {
  const upstreams = serviceNames.filter((name) => name !== 'aia-api');
  return mergeOpenApiDocuments({
    gateway: await serviceDocument('aia-api'),
    upstreams: await Promise.all(
      upstreams.map(async (service) => ({ service, document: await serviceDocument(service) })),
    ),
  });
}
