import { AppError } from '../../platform/errors.js';

/** A browser request from another site that a form (or a script posting like one) could forge. */
export class CrossSiteRequestError extends AppError {
  constructor(origin: string | undefined) {
    super(
      403,
      'cross_site_request_refused',
      `a form-encoded ${origin ? `request from ${origin}` : 'cross-site request'} is refused: send JSON from an allowed origin (CORS_ALLOWED_ORIGINS)`,
      { extensions: { origin: origin ?? null } },
    );
  }
}

/** A request target longer than its route class allows (RFC 9110, 15.5.15). */
export class UriTooLongError extends AppError {
  constructor(limitBytes: number, routeClass: string) {
    super(
      414,
      'uri_too_long',
      `the request target exceeds the ${routeClass} routes' limit of ${limitBytes} bytes`,
      { extensions: { limitBytes, routeClass } },
    );
  }
}

/** Request headers larger than their route class allows (RFC 6585, section 5). */
export class HeadersTooLargeError extends AppError {
  constructor(limitBytes: number, routeClass: string) {
    super(
      431,
      'headers_too_large',
      `request headers exceed the ${routeClass} routes' limit of ${limitBytes} bytes in all`,
      { extensions: { limitBytes, routeClass } },
    );
  }
}
