/** The media type of the platform's error answers (RFC 9457). */
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** A problem document is a few hundred bytes; a larger one is passed on as it came. */
const MAX_PROBLEM_BYTES = 64 * 1024;

/**
 * An upstream's problem document with its `instance` (the path the service answered, RFC 9457)
 * made the path the caller asked the gateway: the upstream's own path means nothing to the caller
 * and tells how the gateway maps routes. Everything else of the answer stays as it came; an answer
 * that is not a problem document, or names no instance, is returned untouched.
 */
export async function withGatewayInstance(
  answer: Response,
  gatewayPath: string,
): Promise<Response> {
  if (!answer.headers.get('content-type')?.startsWith(PROBLEM_MEDIA_TYPE)) return answer;
  const length = Number(answer.headers.get('content-length') ?? 0);
  if (length > MAX_PROBLEM_BYTES) return answer;
  const text = await answer.text();
  const problem = parsedObject(text);
  if (typeof problem?.instance !== 'string') return new Response(text, answer);
  const headers = new Headers(answer.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify({ ...problem, instance: gatewayPath }), {
    status: answer.status,
    statusText: answer.statusText,
    headers,
  });
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
