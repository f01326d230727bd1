import type { IncomingHttpHeaders } from 'node:http';
import type { TextAnswer } from './script.js';

/** One request as the fake server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** The path as sent, percent-encoding kept (what a signature covers). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly body: unknown;
  /** When it arrived (performance.now() of the test process). */
  readonly receivedAt: number;
  /** Settles when the client closed the connection before the answer ended. */
  readonly disconnected: Promise<void>;
}

export type Operation = 'generate' | 'stream' | 'embed';

/** What a request asks for, once the protocol has recognised its path. */
export interface Route {
  readonly operation: Operation;
  readonly model: string;
}

/** An answer on the wire: one body, or parts written one after the other (a stream). */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | readonly (string | Uint8Array)[];
}

/** How one provider's API speaks: the fake server does the rest. */
export interface Protocol {
  readonly name: string;
  /** The operation and model a request's method and path name, or undefined (404). */
  route(request: RecordedRequest): Route | undefined;
  /** Why the request's credentials would be refused, or undefined. */
  refuseCredentials(request: RecordedRequest): string | undefined;
  /** The status of that refusal: 401 unless the provider answers another (AWS: 403). */
  readonly credentialsStatus?: number;
  /** Why the body is not what this operation takes (400), or undefined. */
  refuseBody(route: Route, request: RecordedRequest): string | undefined;
  /** The provider's error answer for a status. */
  error(status: number, message: string): Reply;
  text(route: Route, answer: TextAnswer, request: RecordedRequest): Reply;
  /** The values an embedding request carries, in order. */
  embeddingValues(request: RecordedRequest): readonly string[];
  /** The answer to an embedding request: one vector per value, and the tokens counted. */
  embeddings(
    route: Route,
    vectors: readonly (readonly number[])[],
    tokens: number,
    request: RecordedRequest,
  ): Reply;
  /** A 200 whose body the client cannot parse, in the route's content type. */
  malformed(route: Route): Reply;
}

/** JSON reply with the provider's content type. */
export const json = (
  body: unknown,
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Half a JSON document, as `application/json`: what a proxy that cut the body short delivers. */
export const truncatedJson = (): Reply => ({
  ...json({}),
  body: '{"id":"cut-short","output":[{"type":',
});

/** A JSON object's field, when the value is an object. */
export const field = (value: unknown, name: string | number): unknown =>
  typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;

/** The value at a path of fields and indexes, or undefined where the path breaks. */
export const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(field, value);

/** Reasons a body misses what every call of an operation sends, as sentences. */
export function requireFields(
  body: unknown,
  checks: Readonly<Record<string, (value: unknown) => boolean>>,
): string | undefined {
  if (typeof body !== 'object' || body === null) return 'the body is not a JSON object';
  const missing = Object.entries(checks)
    .filter(([name, check]) => !check(field(body, name)))
    .map(([name]) => name);
  return missing.length > 0 ? `missing or invalid: ${missing.join(', ')}` : undefined;
}

export const isString = (value: unknown): boolean => typeof value === 'string' && value !== '';
export const isArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
export const isNumber = (value: unknown): boolean => typeof value === 'number';
