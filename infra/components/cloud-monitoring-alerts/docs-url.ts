import { DOCS_BASE_URL } from '../../alerting/rules/settings.js';

/** The web address of a page under docs/ (`runbooks/x.md`, `logging.md#anchor`). */
export const docsUrl = (path: string): string => `${DOCS_BASE_URL}/${path}`;
