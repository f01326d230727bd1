import type { Logger } from 'pino';
import type { ServiceClients } from '../../../clients.js';
import type { Database } from '../../../platform/db.js';
import type { Llm } from '../../../platform/llm/types.js';
import type { TaskLifecycle } from '../task-lifecycle.js';

/** What delegation works with: the tasks, their lifecycle, the ledger and the model layer. */
export interface DelegationDeps {
  readonly sql: Database;
  readonly lifecycle: TaskLifecycle;
  readonly llm: Llm;
  /** Reserves children's budgets and settles them (pending transfers). */
  readonly governor: Pick<
    ServiceClients['economic-governor'],
    'transfer' | 'postPending' | 'voidPending'
  >;
  readonly logger: Logger;
}
