import { round } from '../ledger/percentiles.js';
import type { VoteCircuitFacts } from './circuits.js';
import type { Throughput, Timings } from './measure-zk.js';

/** Everything `bench/results/zk.json` holds. */
export interface ZkBenchResult {
  readonly benchmark: 'zk';
  readonly measuredAt: string;
  readonly settings: {
    readonly runs: number;
    readonly verifications: number;
    readonly perRound: number;
    readonly snapshotVoters: number;
    readonly cpus: number;
    readonly node: string;
    readonly snarkjs: string;
  };
  readonly circuit: VoteCircuitFacts;
  /** One vote proved on the voter's side (proveVote), and the floor circuit proved by snarkjs. */
  readonly prove: { readonly vote: Timings; readonly floor: Timings; readonly ratio: number };
  /**
   * One verification at a time: the governor's verifyVote (shape checks and the pairing), the
   * same proof through snarkjs alone, and snarkjs on the floor circuit.
   */
  readonly verify: {
    readonly vote: Timings;
    readonly voteSnarkjsOnly: Timings;
    readonly floor: Timings;
    readonly ratio: number;
  };
  /** Verifications per second with N at once: in one process, and spread over N processes. */
  readonly throughput: {
    readonly vote: { readonly inProcess: Throughput[]; readonly processes: Throughput[] };
    readonly floor: { readonly inProcess: Throughput[]; readonly processes: Throughput[] };
  };
}

const fixed = (value: number, digits = 1) =>
  Number.isFinite(value) ? round(value, digits).toLocaleString('en-US') : 'n/a';

/** The human-readable summary printed at the end of the run. */
export function formatReport(result: ZkBenchResult): string {
  const { settings: s, circuit: c, prove, verify, throughput } = result;
  const lines = [
    '',
    `Vote proofs (Groth16, BN254), ${s.cpus} CPUs, Node ${s.node}, snarkjs ${s.snarkjs}; medians of ${s.runs} proofs and ${s.verifications} verifications`,
    `vote circuit: ${fixed(c.constraints, 0)} constraints, ${fixed(c.wires, 0)} wires, ${c.publicInputs} public inputs (from its R1CS${c.matchesCommittedArtifacts ? ', the sources of the committed artifacts' : '; NOT the sources of the committed artifacts: run npm run zk:setup'}); floor: 1 constraint, 1 public input`,
    '',
    'per proof or verification          vote ms    floor ms   ratio',
    `prove (voter side)             ${fixed(prove.vote.medianMs).padStart(10)}  ${fixed(prove.floor.medianMs).padStart(10)}  ${fixed(prove.ratio).padStart(6)}`,
    `verify (governor, verifyVote)  ${fixed(verify.vote.medianMs).padStart(10)}  ${fixed(verify.floor.medianMs).padStart(10)}  ${fixed(verify.ratio).padStart(6)}`,
    `verify (snarkjs alone)         ${fixed(verify.voteSnarkjsOnly.medianMs).padStart(10)}`,
    '',
    `verifications per second, ${s.perRound} per round, median of ${s.runs} rounds`,
    'at once   vote, 1 process   vote, N processes   floor, 1 process   floor, N processes   vote/floor (N processes)',
  ];
  throughput.vote.inProcess.forEach((row, index) => {
    const spread = throughput.vote.processes[index]?.perSecond ?? Number.NaN;
    const floorOne = throughput.floor.inProcess[index]?.perSecond ?? Number.NaN;
    const floorSpread = throughput.floor.processes[index]?.perSecond ?? Number.NaN;
    lines.push(
      `${String(row.concurrency).padStart(7)}   ${fixed(row.perSecond).padStart(15)}   ${fixed(spread).padStart(17)}   ${fixed(floorOne).padStart(16)}   ${fixed(floorSpread).padStart(18)}   ${fixed(spread / floorSpread, 2).padStart(24)}`,
    );
  });
  lines.push(
    '',
    'ratio = vote / floor. One process runs one pairing at a time whatever the concurrency;',
    'N processes run one each, up to the cores there are.',
    '',
  );
  return lines.join('\n');
}
