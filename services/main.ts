import { isServiceName, type ServiceName, serviceNames } from './catalog.js';
import { serviceModules } from './modules.js';
import { ConfigError } from './platform/config.js';
import { type RunningService, startService } from './platform/runtime.js';
import { onTerminationSignals } from './platform/shutdown.js';

/** Exit code for a configuration error (sysexits.h EX_CONFIG). */
const EX_CONFIG = 78;

/**
 * `node dist/services/main.js <service>` runs one service (the container entry point);
 * `all`, no name, or several names run them in one process, each on its catalog port.
 */
async function main(args: readonly string[]): Promise<void> {
  const names = selectServices(args);
  const running: RunningService[] = [];
  onTerminationSignals(async () => {
    await Promise.all(running.map((service) => service.stop()));
    return 0;
  });
  for (const name of names) {
    // One service: PORT applies to it. Several: each keeps its catalog port.
    const env = names.length === 1 ? process.env : { ...process.env, PORT: undefined };
    running.push(await startService(name, { env, ...serviceModules[name] }));
  }
}

/** Names from the arguments, else from SERVICE (the image's build argument), else all. */
function selectServices(args: readonly string[]): ServiceName[] {
  const named = args.length > 0 ? args : (process.env.SERVICE?.split(',') ?? []);
  const wanted = named.length === 0 || named.includes('all') ? serviceNames : named;
  const unknown = wanted.filter((name) => !isServiceName(name));
  if (unknown.length > 0) {
    console.error(
      `unknown service(s): ${unknown.join(', ')}. Known: ${serviceNames.join(', ')}, all`,
    );
    process.exit(64);
  }
  return wanted as ServiceName[];
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(EX_CONFIG);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
