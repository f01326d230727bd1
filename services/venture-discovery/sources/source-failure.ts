/**
 * Why a source gave nothing in a run: the run records it for that source and goes on. Codes in
 * order of the step that failed: `address_refused`, `unreachable`, `fetch_timeout`,
 * `http_status`, `too_large`, `unsupported_charset`, `invalid_encoding`, `invalid_xml`,
 * `xml_entities_refused`, `not_a_feed`, `invalid_json`, `invalid_csv`, `mapping_mismatch`,
 * `rate_limited`.
 */
export class SourceFailure extends Error {
  override readonly name = 'SourceFailure';

  constructor(
    /** snake_case: what went wrong, for people and for alerts. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
