import { isServiceName, type ServiceName, serviceNames } from './catalog.js';
import { serviceModules } from './modules.js';
import { ConfigError } from './platform/config.js';
import { DependencyUnavailableError } from './platform/dependency-unavailable.js';
import { type RunningService, startService } from './platform/runtime.js';
import { onTerminationSignals } from './platform/shutdown.js';

/** Exit code for a configuration error (sysexits.h EX_CONFIG). */
const EX_CONFIG = 78;
/** Exit code for a command line that names no service or an unknown one. */
const EX_USAGE = 2;

const USAGE = `usage: npm run service -- <service>... | all
       (node dist/services/main.js <service>... | all; or SERVICE=<service>[,<service>...])

Runs one service (PORT applies to it), or several in one process, each on its catalog port.
Services: ${serviceNames.join(', ')}
npm start runs all of them, each in a process of its own, with local data stores and keys.`;

/**
 * `node dist/services/main.js <service>` runs one service (the container entry point, where the
 * image's SERVICE names it); `all` or several names run them in one process, each on its catalog
 * port. No name at all is a usage error: it prints the services and exits 2.
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
    try {
      running.push(await startService(name, { env, module: serviceModules[name] }));
    } catch (error) {
      if (error instanceof DependencyUnavailableError) {
        console.error(`${name} cannot start: ${error.message}`);
        console.error(`Start ${error.store}, or point ${error.variable} at one that runs.`);
        process.exit(EX_CONFIG);
      }
      throw error;
    }
  }
}

/** Names from the arguments, else from SERVICE (the image's build argument); `all` is every one. */
function selectServices(args: readonly string[]): ServiceName[] {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const named = args.length > 0 ? args : (process.env.SERVICE?.split(',').filter(Boolean) ?? []);
  if (named.length === 0) usageError('no service named');
  const wanted = named.includes('all') ? serviceNames : named;
  const unknown = wanted.filter((name) => !isServiceName(name));
  if (unknown.length > 0) {
    usageError(`unknown service(s): ${unknown.join(', ')}. Known: ${serviceNames.join(', ')}, all`);
  }
  return wanted as ServiceName[];
}

function usageError(problem: string): never {
  console.error(`${problem}\n\n${USAGE}`);
  process.exit(EX_USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(EX_CONFIG);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
