import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  readVerificationKey,
  verifyVote,
} from '../../../services/economic-governor/governance/zk/verify-vote.js';
import type { VoteChoice } from '../../../services/economic-governor/governance/zk/vote-signals.js';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A snapshot leaf, Poseidon(identity, weight), with the weight served beside it. */
export interface ScriptedLeaf {
  readonly leaf: bigint;
  readonly weight: bigint;
}

/** The proposal the scripted governor serves; `snapshotLeaves` may differ from `leaves` to lie. */
export interface ScriptedProposal {
  readonly id: string;
  readonly proposalField: bigint;
  readonly root: bigint;
  readonly leaves: readonly ScriptedLeaf[];
  readonly modes: readonly ('private' | 'signed')[];
  readonly closesAt: string;
  /** What GET .../snapshot serves instead of `leaves` (a server changing its snapshot). */
  readonly snapshotLeaves?: readonly ScriptedLeaf[];
  /** Set: the proposal is served voided (migration 004) with this reason. */
  readonly voidedReason?: string;
}

const HTTP_OK = 200;
const HTTP_CREATED = 201;
const HTTP_NOT_FOUND = 404;
const HTTP_UNPROCESSABLE = 422;
const HTTP_INTERNAL_ERROR = 500;

/** An RFC 9457 problem document as the platform's services write them. */
const problem = (status: number, code: string, detail: string) => ({
  type: `urn:aia:problem:${code}`,
  title: code,
  status,
  detail,
});

/**
 * A governor that speaks the voter's side of the governance contract as the economic governor
 * answers it (docs/governance.md: `{ voter }`, `{ proposal }`, the snapshot, `{ vote }`) and
 * records every request: registrations answered as stored, one proposal and its snapshot, and
 * private votes verified for real against the committed verification key.
 */
export async function startScriptedGovernor(proposal: ScriptedProposal) {
  const requests: RecordedRequest[] = [];
  const verificationKey = readVerificationKey();
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const answer = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    const base = `/v1/governance/proposals/${encodeURIComponent(proposal.id)}`;
    const voter = /^\/v1\/governance\/voters\/([^/]+)$/.exec(request.path);
    if (request.method === 'PUT' && voter) {
      const { commitment } = JSON.parse(request.body) as Record<string, string>;
      return send(response, HTTP_OK, {
        voter: { account_id: decodeURIComponent(voter[1] as string), commitment },
      });
    }
    if (request.method === 'GET' && request.path === base) {
      return send(response, HTTP_OK, {
        proposal: {
          id: proposal.id,
          proposal_field: proposal.proposalField.toString(),
          root: proposal.root.toString(),
          size: proposal.leaves.length,
          modes: proposal.modes,
          closes_at: proposal.closesAt,
          state: proposal.voidedReason === undefined ? 'open' : 'voided',
          ...(proposal.voidedReason === undefined ? {} : { voided_reason: proposal.voidedReason }),
        },
      });
    }
    if (request.method === 'GET' && request.path === `${base}/snapshot`) {
      const leaves = proposal.snapshotLeaves ?? proposal.leaves;
      return send(response, HTTP_OK, {
        root: proposal.root.toString(),
        size: leaves.length,
        leaves: leaves.map(({ leaf }) => leaf.toString()),
        leaf_weights: leaves.map(({ weight }) => weight.toString()),
      });
    }
    const anonymousVote =
      request.method === 'POST' &&
      request.path === '/v1/governance/private-votes' &&
      request.headers.authorization === undefined;
    if (anonymousVote || (request.method === 'POST' && request.path === `${base}/votes`)) {
      const ballot = JSON.parse(request.body) as Record<string, unknown>;
      if (ballot.mode === 'signed') {
        return send(response, HTTP_CREATED, { vote: { mode: 'signed', choice: ballot.choice } });
      }
      const verdict = await verifyVote(
        verificationKey,
        { proof: ballot.proof, publicSignals: ballot.public_signals },
        {
          root: proposal.root,
          proposalId: proposal.proposalField,
          choice: ballot.choice as VoteChoice,
        },
      );
      return verdict.ok
        ? send(response, HTTP_CREATED, {
            vote: {
              mode: 'private',
              nullifier: verdict.statement.nullifier.toString(),
              weight: verdict.statement.tier.toString(),
              choice: ballot.choice,
            },
          })
        : send(
            response,
            HTTP_UNPROCESSABLE,
            problem(HTTP_UNPROCESSABLE, verdict.reason, verdict.message),
          );
    }
    return send(response, HTTP_NOT_FOUND, problem(HTTP_NOT_FOUND, 'not_found', request.path));
  };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        path: new URL(incoming.url ?? '/', 'http://governor').pathname,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      answer(request, response).catch((error: Error) =>
        send(response, HTTP_INTERNAL_ERROR, error.message),
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    /** The API base the CLI's --url takes: the governance routes are under it. */
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
