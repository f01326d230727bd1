import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groth16 } from 'snarkjs';
import {
  newVoterSecret,
  snapshotLeaf,
  voterIdentity,
} from '../services/economic-governor/governance/zk/commitment.js';
import {
  proveVote,
  type VoteProof,
} from '../services/economic-governor/governance/zk/prove-vote.js';
import { SnapshotTree } from '../services/economic-governor/governance/zk/snapshot-tree.js';
import {
  readVerificationKey,
  type VoteExpectation,
  verifyVote,
} from '../services/economic-governor/governance/zk/verify-vote.js';
import { round } from './ledger/percentiles.js';
import { floorCircuit, voteCircuitFacts } from './zk/circuits.js';
import {
  inProcessThroughput,
  processThroughput,
  type Throughput,
  timeEach,
} from './zk/measure-zk.js';
import { formatReport, type ZkBenchResult } from './zk/report.js';
import type { VerifyJob } from './zk/verify-process.js';

/** Proofs timed (a few seconds each) and throughput rounds, unless `npm run bench -- zk <runs>`. */
const RUNS = 5;
/** One-at-a-time verifications timed: enough for a steady median at tens of milliseconds each. */
const VERIFICATIONS = 30;
/** Verifications per throughput round, shared among those in flight. */
const PER_ROUND = 32;
/** How many verifications run at once: 1, then up to four times this machine's two cores. */
const CONCURRENCY = [1, 2, 4, 8];
/** Voters in the benchmark's snapshot; the tree's depth (20) is fixed whatever the count. */
const SNAPSHOT_VOTERS = 16;
const PROPOSAL_ID = 4242n;

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/**
 * `npm run bench -- zk [runs]`: proving time per vote (the voter's side), verification time per
 * vote (the governor's verifyVote), and verifications per second with 1, 2, 4, 8 at once in one
 * process and spread over as many processes, each against snarkjs proving and verifying a one-constraint
 * circuit in the same run (the floor). The vote circuit's constraint count comes from its R1CS,
 * compiled here. Writes `bench/results/zk.json`.
 */
export async function benchZk(runs = RUNS): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const work = await mkdtemp(join(tmpdir(), 'zk-bench-'));
  try {
    const result = await measure(root, work, runs);
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'zk.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
    // snarkjs keeps the curve's worker threads alive until told otherwise.
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  }
}

async function measure(root: string, work: string, runs: number): Promise<ZkBenchResult> {
  progress('compiling the vote circuit to read its R1CS');
  const circuit = await voteCircuitFacts(root, work);
  progress(`${circuit.constraints} constraints; setting up the one-constraint floor circuit`);
  const floor = floorCircuit(root, work);

  const voters = Array.from({ length: SNAPSHOT_VOTERS }, (_, index) => ({
    secret: newVoterSecret(),
    weight: BigInt(100 + index),
  }));
  const tree = new SnapshotTree(voters.map((v) => snapshotLeaf(voterIdentity(v.secret), v.weight)));
  const voter = voters[SNAPSHOT_VOTERS - 1] as (typeof voters)[number];
  const expectation: VoteExpectation = { root: tree.root, proposalId: PROPOSAL_ID, choice: 'for' };
  let vote: VoteProof | undefined;
  progress(`proving ${runs} votes after a warm-up (a few seconds each)`);
  const proveVoteTimings = await timeEach(async () => {
    vote = await proveVote({
      secret: voter.secret,
      weight: voter.weight,
      path: tree.path(SNAPSHOT_VOTERS - 1),
      root: tree.root,
      proposalId: PROPOSAL_ID,
      choice: 'for',
    });
  }, runs);
  if (!vote) throw new Error('no vote was proved');
  const proved = vote;
  let floorProof: Awaited<ReturnType<typeof groth16.fullProve>> | undefined;
  const proveFloorTimings = await timeEach(async () => {
    floorProof = await groth16.fullProve(floor.input, floor.witnessGenerator, floor.provingKey);
  }, VERIFICATIONS);
  if (!floorProof) throw new Error('no floor proof');
  const floorProved = floorProof;

  const verificationKey = readVerificationKey();
  const verifyGovernor = async () => {
    const verdict = await verifyVote(verificationKey, proved, expectation);
    if (!verdict.ok) throw new Error(`the benchmark vote was refused: ${verdict.message}`);
  };
  const verifySnarkjs = async () => {
    if (!(await groth16.verify(verificationKey, proved.publicSignals, proved.proof)))
      throw new Error('the benchmark vote does not verify');
  };
  const verifyFloor = async () => {
    const { publicSignals, proof } = floorProved;
    if (!(await groth16.verify(floor.verificationKey, publicSignals, proof)))
      throw new Error('the floor proof does not verify');
  };
  progress(`verifying ${VERIFICATIONS} times each, one at a time`);
  const verifyVoteTimings = await timeEach(verifyGovernor, VERIFICATIONS);
  const verifySnarkjsTimings = await timeEach(verifySnarkjs, VERIFICATIONS);
  const verifyFloorTimings = await timeEach(verifyFloor, VERIFICATIONS);

  const voteJob: VerifyJob = {
    verificationKey,
    proof: proved.proof,
    publicSignals: proved.publicSignals,
    expectation,
  };
  const floorJob: VerifyJob = {
    verificationKey: floor.verificationKey,
    proof: floorProved.proof,
    publicSignals: floorProved.publicSignals,
  };
  const sweep = async (
    name: string,
    verify: () => Promise<unknown>,
    job: VerifyJob,
  ): Promise<{ inProcess: Throughput[]; processes: Throughput[] }> => {
    const inProcess: Throughput[] = [];
    const processes: Throughput[] = [];
    for (const concurrency of CONCURRENCY) {
      progress(`${name}: ${concurrency} at once, in one process, then in as many processes`);
      inProcess.push(await inProcessThroughput(verify, concurrency, PER_ROUND, runs));
      processes.push(await processThroughput(job, concurrency, PER_ROUND, runs));
    }
    return { inProcess, processes };
  };
  const voteThroughput = await sweep('vote', verifyGovernor, voteJob);
  const floorThroughput = await sweep('floor', verifyFloor, floorJob);

  const snarkjsPackage = JSON.parse(
    readFileSync(join(root, 'node_modules', 'snarkjs', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    benchmark: 'zk',
    measuredAt: new Date().toISOString(),
    settings: {
      runs,
      verifications: VERIFICATIONS,
      perRound: PER_ROUND,
      snapshotVoters: SNAPSHOT_VOTERS,
      cpus: availableParallelism(),
      node: process.version,
      snarkjs: snarkjsPackage.version,
    },
    circuit,
    prove: {
      vote: proveVoteTimings,
      floor: proveFloorTimings,
      ratio: round(proveVoteTimings.medianMs / proveFloorTimings.medianMs),
    },
    verify: {
      vote: verifyVoteTimings,
      voteSnarkjsOnly: verifySnarkjsTimings,
      floor: verifyFloorTimings,
      ratio: round(verifyVoteTimings.medianMs / verifyFloorTimings.medianMs),
    },
    throughput: { vote: voteThroughput, floor: floorThroughput },
  };
}
