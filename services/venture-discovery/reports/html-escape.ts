/**
 * Escaping for text the report pages take from the outside world (signal titles, source names,
 * entity names): every character HTML gives a meaning to, so a value is text wherever it lands,
 * element content or a quoted attribute.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `value` as HTML text (safe in element content and in single- or double-quoted attributes). */
export const escapeHtml = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

/**
 * JSON for a `<script type="application/ld+json">` data block: `<`, `>` and `&` as JSON escapes,
 * so neither `</script>` nor `<!--` in a value can end or change the block.
 */
export const jsonForScriptBlock = (value: unknown): string =>
  JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
