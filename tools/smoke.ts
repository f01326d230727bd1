import { runLoadCheck } from './smoke/load-check.js';
import { parseSmokeArguments, SMOKE_USAGE } from './smoke/smoke-arguments.js';
import { runSmoke, smokeReport } from './smoke/smoke-run.js';
import { gatewayUrlOf } from './smoke/stack-gateway.js';

/**
 * `npm run smoke -- [load] (--url <gateway> | --stack <stack>) [--token <token>]`: the release
 * workflow's smoke test and load check (docs/release.md). Exit 0 when every check passes, 1
 * naming each failure, 64 on a bad command line.
 */
const EX_USAGE = 64;
const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  process.stdout.write(`${SMOKE_USAGE}\n`);
  process.exit(0);
}
let options: ReturnType<typeof parseSmokeArguments>;
try {
  options = parseSmokeArguments(argv, process.env);
} catch (error) {
  process.stderr.write(`smoke: ${(error as Error).message}\n\n${SMOKE_USAGE}\n`);
  process.exit(EX_USAGE);
}
/** The gateway of `--stack`, from its outputs (Pulumi's Automation API loads only then). */
async function stackGateway(stack: 'staging' | 'production'): Promise<string> {
  const { openStack, readStackOutputs } = await import('./ops/pulumi-stack.js');
  return gatewayUrlOf(await readStackOutputs(await openStack(stack)));
}
const url = options.url ?? (await stackGateway(options.stack as 'staging' | 'production'));

if (options.mode === 'smoke') {
  const checks = await runSmoke({ url, token: options.token, timeoutMs: options.timeoutMs });
  process.stdout.write(smokeReport(checks));
  const failed = checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    process.stderr.write(
      `smoke: ${failed.length} of ${checks.length} checks failed at ${url}: ${failed.map((c) => c.name).join(', ')}\n`,
    );
    process.exit(1);
  }
  process.exit(0);
}

process.stdout.write(
  `load: ${options.users} users, one request each every ${options.intervalMs} ms, ${options.durationMs / 1000} s, at ${url}\n`,
);
const result = await runLoadCheck({
  url,
  token: options.token,
  users: options.users,
  intervalMs: options.intervalMs,
  durationMs: options.durationMs,
  timeoutMs: options.timeoutMs,
});
process.stdout.write(
  `${result.requests} requests, ${result.errors} errors (${(result.errorRate * 100).toFixed(2)} %), p95 ${result.p95Ms} ms (objectives: p95 < ${result.objectives.p95Ms} ms, errors < ${result.objectives.maxErrorRate * 100} %)\n`,
);
if (result.breaches.length > 0) {
  process.stderr.write(
    `load: the SLOs were missed: ${result.breaches.join('; ')}${result.firstError ? `; first error: ${result.firstError}` : ''}\n`,
  );
  process.exit(1);
}
