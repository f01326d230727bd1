/**
 * Write-ahead-log positions and timestamps as exact integers: an LSN (`16/B374D848`) as a
 * bigint byte position, a time as microseconds since the epoch (PostgreSQL's own resolution,
 * which a JavaScript Date would round to milliseconds).
 */

/** `X/Y` (two hex numbers) → the byte position `X << 32 | Y`. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!match) throw new Error(`not a WAL position (X/Y in hex): '${text}'`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The inverse of `parseLsn`, as PostgreSQL prints it (upper-case hex, no padding). */
export function formatLsn(position: bigint): string {
  const high = (position >> 32n).toString(16).toUpperCase();
  const low = (position & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

/** First and one-past-last byte positions of a WAL segment file named `TTTTTTTTXXXXXXXXYYYYYYYY`. */
export function segmentBounds(name: string, segmentBytes: bigint): { start: bigint; end: bigint } {
  const match = /^[0-9A-F]{8}([0-9A-F]{8})([0-9A-F]{8})$/.exec(name);
  if (!match) throw new Error(`not a WAL segment file name: '${name}'`);
  const segmentsPerLogId = 0x1_0000_0000n / segmentBytes;
  const start =
    (BigInt(`0x${match[1]}`) * segmentsPerLogId + BigInt(`0x${match[2]}`)) * segmentBytes;
  return { start, end: start + segmentBytes };
}

/** `2026-12-03 15:45:24.123456` (UTC, as pg_waldump prints under TZ=UTC) → microseconds. */
export function utcMicros(text: string): bigint {
  const match = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?/.exec(text.trim());
  if (!match) throw new Error(`not a timestamp: '${text}'`);
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(seconds)) throw new Error(`not a timestamp: '${text}'`);
  return BigInt(seconds) * 1000n + BigInt((match[3] ?? '').padEnd(6, '0'));
}

/** Microseconds → `2026-12-03 15:45:24.123456+00`, a timestamptz PostgreSQL reads exactly. */
export function formatMicros(micros: bigint): string {
  const millis = micros / 1000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}+00`;
}

/** A duration in microseconds for people: `850 µs`, `12.3 ms`, `4.21 s`. */
export function formatDuration(micros: bigint): string {
  const negative = micros < 0n;
  const size = negative ? -micros : micros;
  const sign = negative ? '−' : '';
  if (size < 1000n) return `${sign}${size} µs`;
  if (size < 1_000_000n) return `${sign}${(Number(size) / 1000).toFixed(1)} ms`;
  return `${sign}${(Number(size) / 1_000_000).toFixed(2)} s`;
}
