import type { MiddlewareHandler } from 'hono';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppEnv } from './types.js';

/** Paths redacted in every log line, whatever the service logs. */
const ALWAYS_REDACTED = [
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/**
 * Cloud Logging's severity for each pino level. GKE's logging agent turns a JSON line on stdout
 * into a log entry's jsonPayload and reads its severity from a string field `severity` only
 * (pino's `level` is neither the field nor a value Cloud Logging knows), its time from `time`.
 */
export const CLOUD_LOGGING_SEVERITY: Readonly<Record<string, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

export interface LoggerOptions {
  readonly service: string;
  /** Default `info`. */
  readonly level?: string;
  /** Extra top-level keys to redact, typically the secret keys of the service config. */
  readonly redactKeys?: readonly string[];
  /** Default stdout. Tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
}

/**
 * Structured JSON logger, one line per entry with `level`, `severity` (Cloud Logging's name of the
 * level), `time` (ISO 8601), `service` and `msg`; secret keys are replaced by `[redacted]` at any
 * of the known paths.
 */
export function createLogger({
  service,
  level = 'info',
  redactKeys = [],
  destination,
}: LoggerOptions): Logger {
  const keys = redactKeys.flatMap((key) => [key, `*.${key}`]);
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label, severity: CLOUD_LOGGING_SEVERITY[label] ?? 'DEFAULT' }),
      },
      redact: { paths: [...ALWAYS_REDACTED, ...keys], censor: '[redacted]' },
    },
    destination,
  );
}

/** Paths the kubelet, load balancers and Prometheus poll every few seconds. */
export const PROBE_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

export interface RequestLoggerOptions {
  readonly logger: Logger;
  /**
   * Logged at debug, so polling does not drown the requests people make; a 5xx other than a
   * 503 from `/readyz` (whose cause the readiness check logs) is still an error. Default
   * {@link PROBE_PATHS}.
   */
  readonly probePaths?: readonly string[];
}

/**
 * Gives each request a child logger carrying its request id and logs one line when it completes:
 * method, path, status and duration. Never logs headers or bodies.
 */
export const requestLogger = ({
  logger,
  probePaths = PROBE_PATHS,
}: RequestLoggerOptions): MiddlewareHandler<AppEnv> =>
  async function requestLogger(c, next) {
    const started = performance.now();
    const child = logger.child({ requestId: c.get('requestId') });
    c.set('logger', child);
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    const probe = probePaths.includes(c.req.path);
    if (status >= 500 && !(probe && status === 503)) child.error(line, 'request failed');
    else if (probe) child.debug(line, 'probe answered');
    else child.info(line, 'request completed');
  };
