import { type Problem, ServiceProblemError } from './errors.js';

/** What an openapi-fetch call resolves with. */
interface FetchResult<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful openapi-fetch call; an error answer becomes a
 * {@link ServiceProblemError} carrying the callee's problem document.
 *
 * @example
 * const { account } = await unwrap('economic-governor', api.GET('/accounts/{id}', { params }));
 */
export async function unwrap<Data>(
  service: string,
  call: Promise<FetchResult<Data>>,
): Promise<Data> {
  const { data, error, response } = await call;
  if (response.ok && error === undefined) return data as Data;
  throw new ServiceProblemError(service, response.status, problemFrom(error, response));
}

function problemFrom(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && !Array.isArray(error)) return error as Problem;
  const title = typeof error === 'string' && error !== '' ? error.slice(0, 200) : undefined;
  return {
    status: response.status,
    title: title ?? (response.statusText || `HTTP ${response.status}`),
  };
}
