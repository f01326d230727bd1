/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits 0 (1 if it throws). One Ctrl-C reaches
 * `npm start` more than once — from the terminal to the whole process group, and again relayed by
 * npm and tsx — so a repeat within `graceMs` (default 1 s) is that same Ctrl-C and is ignored;
 * a later one means "now" and exits 130 at once.
 */
export function onCtrlC(stop: () => Promise<void>, graceMs = 1_000): void {
  let firstAt: number | undefined;
  const handler = () => {
    if (firstAt !== undefined) {
      if (performance.now() - firstAt > graceMs) process.exit(130);
      return;
    }
    firstAt = performance.now();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`✗ stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
