/**
 * A signal aborted by `parent` or when `timeoutMs` passes, cleared when its work ends so no timer
 * or listener outlives it (AbortSignal.timeout's timers would stay for the whole timeout, one per
 * call, and AbortSignal.any's links with them).
 */
export function deadline(timeoutMs: number, parent: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const follow = () => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener('abort', follow, { once: true });
  const startedAt = performance.now();
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    remainingMs: () => Math.max(0, timeoutMs - (performance.now() - startedAt)),
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', follow);
    },
  };
}
export type Deadline = ReturnType<typeof deadline>;
