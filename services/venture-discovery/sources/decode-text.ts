import { TextDecoder } from 'node:util';
import { SourceFailure } from './source-failure.js';

const CHARSET_PARAM = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i;
const XML_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i;

/**
 * The text of a fetched document, decoded by the charset it declares: a byte-order mark first,
 * then the `Content-Type` charset, then (for XML) the declaration's `encoding`, else UTF-8.
 * Throws `unsupported_charset` naming a charset the platform cannot decode, and
 * `invalid_encoding` when the bytes are not valid in it (nothing is guessed or replaced).
 */
export function decodeText(bytes: Uint8Array, contentType: string | undefined): string {
  let charset = bomCharset(bytes) ?? contentType?.match(CHARSET_PARAM)?.[1];
  if (!charset) {
    // The declaration is ASCII in every encoding XML allows without a BOM.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    charset = head.match(XML_ENCODING)?.[1];
  }
  const label = (charset ?? 'utf-8').toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new SourceFailure('unsupported_charset', `charset ${charset} is not supported`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new SourceFailure('invalid_encoding', `the document is not valid ${decoder.encoding}`);
  }
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}
