import { createHash, createHmac } from 'node:crypto';
import type { RecordedRequest } from './protocol.js';

/** The keys and scope a request must be signed with. */
export interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly service: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest();

/** RFC 3986 encoding: encodeURIComponent leaves !'()* alone, SigV4 does not. */
const rfc3986 = (text: string) =>
  text.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Why AWS would refuse this request's Signature Version 4, or undefined when it verifies:
 * the credential scope (key, date, region, service), the signed headers including host and
 * x-amz-date, and the signature recomputed over the canonical request as received (for services
 * other than S3 the path is encoded once more) with the secret key.
 */
export function refuseSignature(request: RecordedRequest, key: SigningKey): string | undefined {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  if (!match)
    return 'expected Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...';
  const [accessKeyId, date = '', region, service, signedHeaders = '', signature] = match.slice(1);
  if (accessKeyId !== key.accessKeyId)
    return 'The security token included in the request is invalid (unknown access key)';
  if (region !== key.region || service !== key.service)
    return `credential scope ${region}/${service}, expected ${key.region}/${key.service}`;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return 'x-amz-date does not match the credential date';
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date'))
    return 'host and x-amz-date must be signed';
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalQuery = Object.entries(request.query)
    .map(([k, v]) => [rfc3986(encodeURIComponent(k)), rfc3986(encodeURIComponent(v))])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
    .map((pair) => pair.join('='))
    .join('&');
  const canonicalRequest = [
    request.method,
    rfc3986(encodeURIComponent(request.path).replace(/%2F/g, '/')),
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    sha256(request.rawBody),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = [key.region, key.service, 'aws4_request'].reduce(
    (previous, part) => hmac(previous, part),
    hmac(`AWS4${key.secretAccessKey}`, date),
  );
  return hmac(signingKey, stringToSign).toString('hex') === signature
    ? undefined
    : 'The request signature we calculated does not match the signature you provided';
}
