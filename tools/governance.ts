import { runGovernance } from './governance/run-governance.js';

/**
 * `npm run governance -- <init|register|vote> ...`: the voter's tool (docs/governance.md). The
 * secret stays in the voter file; private votes are proved on this machine.
 */
const code = await runGovernance(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
// snarkjs keeps the curve's worker threads alive after proving until told otherwise.
await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
process.exit(code);
