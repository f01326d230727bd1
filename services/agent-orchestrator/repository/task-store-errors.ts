/**
 * A task save the store refused, so the stored task is unchanged:
 * - `terminal`: the stored task is completed, failed, canceled or rejected, and the save would
 *   move it to another state (a worker finishing a task a caller canceled meanwhile);
 * - `taken`: another caller (or tenant, or agent) owns a task with this id.
 */
export class TaskSaveRefusedError extends Error {
  override readonly name = 'TaskSaveRefusedError';
  constructor(
    readonly taskId: string,
    readonly reason: 'terminal' | 'taken',
    detail: string,
  ) {
    super(`task ${taskId}: ${detail}`);
  }
}
