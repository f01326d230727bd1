import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../../../platform/errors.js';

/**
 * A vote, registration or proposal the governance rules refuse: a specific problem code (the
 * last segment of the problem type) and the field at fault; nothing was stored.
 */
export class GovernanceRefusal extends AppError {
  constructor(status: ContentfulStatusCode, code: string, field: string, message: string) {
    super(status, code, message, { extensions: { errors: [{ field, reason: message }] } });
  }
}
