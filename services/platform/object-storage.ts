import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { GoogleAuth } from 'google-auth-library';

/** The bucket a service was given and an S3 client for it (docs/object-storage.md). */
export interface ObjectStorage {
  readonly client: S3Client;
  readonly bucket: string;
}

/** Returns a fresh OAuth 2.0 access token (cached and refreshed by whoever provides it). */
export type AccessTokenProvider = () => Promise<string>;

export interface ObjectStorageOptions {
  /** For `S3_AUTH=google-oauth`; defaults to Application Default Credentials (Workload Identity). */
  readonly accessToken?: AccessTokenProvider;
}

const STORAGE_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';

/** Application Default Credentials: on GKE, the pod's Workload Identity service account. */
function applicationDefaultToken(): AccessTokenProvider {
  const auth = new GoogleAuth({ scopes: STORAGE_SCOPE });
  return async () => {
    const token = await auth.getAccessToken();
    if (!token) throw new Error('object storage: Application Default Credentials gave no token');
    return token;
  };
}

/**
 * Authentication that sends `Authorization: Bearer <token>` in place of a SigV4 signature, through
 * the SDK's own hook for replacing a client's auth schemes: the identity is the access token,
 * resolved per request, and the signer only sets the header. Cloud Storage's XML API accepts it.
 */
function bearerAuthSchemes(
  accessToken: AccessTokenProvider,
): NonNullable<S3ClientConfig['httpAuthSchemes']> {
  const scheme = (schemeId: string) => ({
    schemeId,
    identityProvider: () => async () => ({ token: await accessToken() }),
    signer: {
      sign: async (request: unknown, identity: unknown) => {
        const http = request as { headers: Record<string, string> };
        http.headers.authorization = `Bearer ${(identity as { token: string }).token}`;
        return request;
      },
    },
  });
  // S3 operations resolve to SigV4 (or SigV4a for multi-region access points): both are replaced.
  return [scheme('aws.auth#sigv4'), scheme('aws.auth#sigv4a')] as NonNullable<
    S3ClientConfig['httpAuthSchemes']
  >;
}

/**
 * The object storage of a service whose configuration names an endpoint and a bucket (the
 * `objectStorageEnv` variables); `undefined` when it names none (a local run without storage).
 * Checksums are sent only where an operation requires them: S3-compatible servers, Cloud Storage
 * among them, do not all accept the SDK's default CRC32 trailers.
 */
export function createObjectStorage(
  config: Readonly<Record<string, unknown>>,
  options: ObjectStorageOptions = {},
): ObjectStorage | undefined {
  const endpoint = config.S3_ENDPOINT;
  const bucket = config.S3_BUCKET;
  if (typeof endpoint !== 'string' || typeof bucket !== 'string') return undefined;
  const common: S3ClientConfig = {
    endpoint,
    region: String(config.S3_REGION ?? 'auto'),
    forcePathStyle: config.S3_FORCE_PATH_STYLE !== false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  const client =
    config.S3_AUTH === 'google-oauth'
      ? new S3Client({
          ...common,
          httpAuthSchemes: bearerAuthSchemes(options.accessToken ?? applicationDefaultToken()),
        })
      : new S3Client({
          ...common,
          credentials: {
            accessKeyId: String(config.S3_ACCESS_KEY_ID),
            secretAccessKey: String(config.S3_SECRET_ACCESS_KEY),
          },
        });
  return { client, bucket };
}
