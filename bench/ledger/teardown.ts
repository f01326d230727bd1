/**
 * The benchmark starts a database server, a service and client processes; whatever happens
 * (success, an error, Ctrl-C) they must all be stopped and the temporary directory removed, in
 * the reverse order of their creation (the service before the database it uses).
 */
export class Teardown {
  readonly #steps: { name: string; run: () => Promise<void> | void }[] = [];
  #running: Promise<void> | undefined;
  readonly #abort = new AbortController();

  /** Aborted when a termination signal arrives: long steps pass it on to stop early. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Registers a step; steps run last-added first. */
  add(name: string, run: () => Promise<void> | void): void {
    this.#steps.push({ name, run });
  }

  /**
   * Runs every step once, even when some fail (a failure is reported on stderr, not thrown, so
   * the remaining steps still run). Idempotent: later calls wait for the first.
   */
  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of [...this.#steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          console.error(`cleanup: ${step.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.#running;
  }

  /**
   * On SIGINT/SIGTERM: abort running work, clean up, exit 130/143. Returns a function removing
   * the handlers, for the normal end of the run.
   */
  exitOnSignals(): () => void {
    const handle = (signal: NodeJS.Signals): void => {
      console.error(`\n${signal}: stopping the benchmark and cleaning up…`);
      this.#abort.abort(new Error(`interrupted by ${signal}`));
      void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
    return () => {
      process.removeListener('SIGINT', handle);
      process.removeListener('SIGTERM', handle);
    };
  }
}
