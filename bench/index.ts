import { benchDiscovery } from './discovery.js';
import { benchDkg } from './dkg.js';
import { benchGateway } from './gateway.js';
import { benchLedger } from './ledger.js';
import { benchLlm } from './llm.js';
import { benchOrchestrator } from './orchestrator.js';
import { benchPlan } from './plan.js';
import { benchTracker } from './tracker.js';
import { benchZk } from './zk.js';

/** `npm run bench -- <name> [runs]`: runs one benchmark and prints its figures and ratios. */
const BENCHMARKS: Record<string, (runs?: number) => Promise<void>> = {
  plan: benchPlan,
  ledger: benchLedger,
  llm: benchLlm,
  orchestrator: benchOrchestrator,
  dkg: benchDkg,
  discovery: benchDiscovery,
  gateway: benchGateway,
  tracker: benchTracker,
  zk: benchZk,
};

const [name, runs] = process.argv.slice(2);
const benchmark = name ? BENCHMARKS[name] : undefined;
if (!benchmark) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [runs]`);
  process.exit(2);
}
await benchmark(runs ? Number(runs) : undefined);
