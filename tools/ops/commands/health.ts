import { parseArgs } from 'node:util';
import { catalog, STACKS, type StackName, serviceNames } from '../../../services/catalog.js';
import { planStack } from '../../local-stack/stack-plan.js';
import { errorBudgetLeft } from '../health/error-budget.js';
import { type HealthRow, healthExitCode, healthTable } from '../health/health-table.js';
import { probeService } from '../health/service-health.js';
import { prometheusQuery } from '../prometheus-query.js';
import { openStack, readStackOutputs } from '../pulumi-stack.js';

export const HEALTH_USAGE = `npm run ops -- health (--local [--port-offset N] | --stack <staging|production>) [options]

Every service's readiness, version and revision, the dependencies as the services see them, and
the 30-day error budget left (with Prometheus), as a table; --json for scripts.
  --local                 the services of npm start on this machine (ports: catalog + offset)
  --stack <stack>         a stack: services at http://<service>.<namespace>.svc.cluster.local:<port>
                          (run it in the cluster, or pass --service-url)
  --service-url <tmpl>    URL template, e.g. http://localhost:{port} through port-forwards
  --prometheus-url <url>  for the error budget (default with --stack: observability.prometheusUrl)
  --namespace <ns>        default with --stack: the stack output namespaces.services
Exit code: 0 when every service is ready (or degraded), 1 when one is not.`;

/** `ops health`: issue 22, item 3. */
export async function healthCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      local: { type: 'boolean', default: false },
      'port-offset': { type: 'string' },
      stack: { type: 'string' },
      'service-url': { type: 'string' },
      'prometheus-url': { type: 'string' },
      namespace: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.local === Boolean(values.stack)) {
    throw new Error('give either --local or --stack <staging|production>');
  }
  if (values.stack && !(STACKS as readonly string[]).includes(values.stack)) {
    throw new Error(`--stack: expected one of ${STACKS.join(', ')}, got "${values.stack}"`);
  }
  const where = await targetsOf(values);
  const query = where.prometheusUrl ? prometheusQuery(where.prometheusUrl) : undefined;
  const rows: HealthRow[] = await Promise.all(
    serviceNames.map(async (service) => {
      const health = await probeService(service, where.urlOf(service));
      const budgetLeft = query
        ? await errorBudgetLeft(query, service, where.namespace).catch(() => undefined)
        : undefined;
      return budgetLeft === undefined ? health : { ...health, budgetLeft };
    }),
  );
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : healthTable(rows));
  return healthExitCode(rows);
}

interface Targets {
  readonly urlOf: (service: (typeof serviceNames)[number]) => string;
  readonly namespace: string;
  readonly prometheusUrl?: string;
}

async function targetsOf(values: {
  local?: boolean;
  'port-offset'?: string;
  stack?: string;
  'service-url'?: string;
  'prometheus-url'?: string;
  namespace?: string;
}): Promise<Targets> {
  const template = values['service-url'];
  const fromTemplate = (service: string, port: number, namespace: string) =>
    (template ?? '')
      .replaceAll('{service}', service)
      .replaceAll('{port}', String(port))
      .replaceAll('{namespace}', namespace);
  if (values.local) {
    const plan = planStack(
      values['port-offset'] === undefined ? [] : ['--port-offset', values['port-offset']],
      process.env,
      '.data',
    );
    const namespace = values.namespace ?? 'local';
    return {
      namespace,
      urlOf: (service) =>
        template
          ? fromTemplate(service, plan.ports[service], namespace)
          : `http://127.0.0.1:${plan.ports[service]}`,
      ...(values['prometheus-url'] ? { prometheusUrl: values['prometheus-url'] } : {}),
    };
  }
  const needsOutputs = !values.namespace || !values['prometheus-url'];
  const outputs = needsOutputs
    ? await readStackOutputs(await openStack(values.stack as StackName))
    : undefined;
  const namespace = values.namespace ?? (outputs?.namespaces.services as string);
  return {
    namespace,
    urlOf: (service) =>
      template
        ? fromTemplate(service, catalog[service].port, namespace)
        : `http://${service}.${namespace}.svc.cluster.local:${catalog[service].port}`,
    prometheusUrl: values['prometheus-url'] ?? outputs?.observability.prometheusUrl,
  };
}
