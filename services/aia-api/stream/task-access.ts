/**
 * Whether the holder of `token` may read task `taskId` (the orchestrator's rule: its sender, or
 * an `agents:admin`). Rejects when it cannot tell (the orchestrator is away).
 */
export type TaskAccess = (taskId: string, token: string) => Promise<boolean>;

/**
 * Asks the orchestrator, with the caller's own token: `GET /v1/tasks/{id}/tree` answers 200 to
 * the task's sender and 404 to anyone else, so the gateway keeps no copy of who sent what.
 */
export const orchestratorTaskAccess =
  (orchestratorUrl: string, timeoutMs = 5_000): TaskAccess =>
  async (taskId, token) => {
    const response = await fetch(
      `${orchestratorUrl.replace(/\/+$/, '')}/v1/tasks/${encodeURIComponent(taskId)}/tree`,
      { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) },
    );
    await response.body?.cancel();
    if (response.ok) return true;
    if (response.status === 404 || response.status === 403 || response.status === 422) return false;
    throw new Error(`the agent orchestrator answered ${response.status}`);
  };
