import { type Groth16Proof, groth16 } from 'snarkjs';
import {
  type VoteExpectation,
  verifyVote,
} from '../../services/economic-governor/governance/zk/verify-vote.js';

/** What a verifying process is given: a key, one proof, and how the server checks it. */
export interface VerifyJob {
  readonly verificationKey: object;
  readonly proof: Groth16Proof;
  readonly publicSignals: string[];
  /** Set for the vote circuit: verified as the governor does (verifyVote); else snarkjs alone. */
  readonly expectation?: VoteExpectation;
}

/** Messages from the parent: the job once, then how many verifications to run. */
export type VerifyMessage = { readonly job: VerifyJob } | { readonly count: number };

let job: VerifyJob | undefined;

async function verifyOnce(): Promise<boolean> {
  if (!job) throw new Error('no job yet');
  if (job.expectation) return (await verifyVote(job.verificationKey, job, job.expectation)).ok;
  return groth16.verify(job.verificationKey, job.publicSignals, job.proof);
}

const send = (message: object) => process.send?.(message);

// A child process, not a worker thread: snarkjs's `web-worker` dependency takes any worker
// thread for one of its own and cannot load there.
process.on('message', async (message: VerifyMessage) => {
  if ('job' in message) {
    job = message.job;
    // One verification first: loading the curve is start-up cost, not verification.
    send({ ready: await verifyOnce() });
    return;
  }
  let failed = 0;
  for (let index = 0; index < message.count; index++) if (!(await verifyOnce())) failed++;
  send({ done: message.count, failed });
});
process.on('disconnect', async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  process.exit(0);
});
