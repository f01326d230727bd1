import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';

/** A destination that keeps each JSON line pino writes. */
function collected() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('log lines Cloud Logging parses', () => {
  it('carry the severity Cloud Logging knows for every level, beside pino level and an ISO time', async () => {
    const { lines, destination } = collected();
    const logger = createLogger({ service: 'economic-governor', level: 'trace', destination });
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map(({ level, severity, msg }) => [level, severity, msg])).toEqual([
      ['trace', 'DEBUG', 't'],
      ['debug', 'DEBUG', 'd'],
      ['info', 'INFO', 'i'],
      ['warn', 'WARNING', 'w'],
      ['error', 'ERROR', 'e'],
      ['fatal', 'CRITICAL', 'f'],
    ]);
    for (const line of lines) {
      expect(line.service).toBe('economic-governor');
      expect(new Date(String(line.time)).toISOString()).toBe(line.time);
    }
  });
});
