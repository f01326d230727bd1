import { AppError } from '../../platform/errors.js';
import type { HierarchyRefusalCode } from '../domain/hierarchy.js';

/** Codes of the registry's 409s, each one rule: the problem's `type` ends with it. */
export type AgentRefusalCode = HierarchyRefusalCode | 'has_active_reports' | 'agent_retired';

/** A change the registry's current state refuses: the problem names the rule and, if any, the field. */
export class AgentRefusedError extends AppError {
  constructor(code: AgentRefusalCode, reason: string, field?: string) {
    super(409, code, reason, { extensions: field ? { errors: [{ field, reason }] } : {} });
  }
}
