import type { RawItem } from '../domain/signal.js';
import { SourceFailure } from './source-failure.js';

/**
 * Which fields (JSON) or columns (CSV) hold an item's parts. `items` is the dot path of the array
 * in a JSON document (absent: the document is the array).
 */
export interface FieldMapping {
  readonly items?: string;
  readonly title: string;
  readonly text?: string;
  readonly url?: string;
  readonly published_at?: string;
}

const MAX_ITEMS = 10_000;

const pick = (row: Record<string, unknown>, field: string | undefined) =>
  field === undefined ? undefined : row[field];

function mapRow(row: Record<string, unknown>, mapping: FieldMapping): RawItem {
  return {
    title: pick(row, mapping.title),
    text: pick(row, mapping.text),
    url: pick(row, mapping.url),
    publishedAt: pick(row, mapping.published_at),
  };
}

/**
 * The items of a JSON document through `mapping`. Throws `invalid_json` for text that is not
 * JSON and `mapping_mismatch` when `items` does not lead to an array of objects.
 */
export function parseJsonItems(text: string, mapping: FieldMapping): RawItem[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SourceFailure('invalid_json', `not JSON: ${(error as Error).message}`);
  }
  let items: unknown = document;
  for (const key of mapping.items?.split('.') ?? []) {
    items =
      items && typeof items === 'object' ? (items as Record<string, unknown>)[key] : undefined;
  }
  if (!Array.isArray(items))
    throw new SourceFailure(
      'mapping_mismatch',
      `${mapping.items ? `items path ${mapping.items}` : 'the document'} is not an array`,
    );
  return items
    .slice(0, MAX_ITEMS)
    .filter((row): row is Record<string, unknown> => !!row && typeof row === 'object')
    .map((row) => mapRow(row, mapping));
}

/**
 * The rows of a CSV document (RFC 4180: quoted fields may hold commas, quotes doubled, line
 * breaks) through `mapping`, by header name. Throws `invalid_csv` naming the line of an
 * unterminated quote or a row with another number of fields than the header, and
 * `mapping_mismatch` naming a mapped column the header lacks.
 */
export function parseCsvItems(text: string, mapping: FieldMapping): RawItem[] {
  const rows = csvRows(text);
  const header = rows.shift();
  if (!header) throw new SourceFailure('invalid_csv', 'the document has no header row');
  const columns = header.fields.map((name) => name.trim());
  const missing = [mapping.title, mapping.text, mapping.url, mapping.published_at].filter(
    (name): name is string => name !== undefined && !columns.includes(name),
  );
  if (missing.length > 0)
    throw new SourceFailure(
      'mapping_mismatch',
      `the header lacks the mapped column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  return rows.slice(0, MAX_ITEMS).map(({ fields, line }) => {
    if (fields.length !== columns.length)
      throw new SourceFailure(
        'invalid_csv',
        `line ${line} has ${fields.length} fields; the header has ${columns.length}`,
      );
    return mapRow(Object.fromEntries(columns.map((name, i) => [name, fields[i]])), mapping);
  });
}

function csvRows(text: string): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i += 1;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') rows.push({ fields, line: rowLine });
      fields = [];
      field = '';
      line += 1;
      rowLine = line;
    } else field += char;
  }
  if (quoted) throw new SourceFailure('invalid_csv', `line ${rowLine} has an unterminated quote`);
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') rows.push({ fields, line: rowLine });
  return rows;
}
