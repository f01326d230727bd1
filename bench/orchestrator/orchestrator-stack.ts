import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { generateSigningKey, publicKeysOf } from '../../tools/local-stack/jwt-key-pair.js';
import { signToken } from '../../tools/local-stack/sign-token.js';
import { sendJson } from '../ledger/http-client.js';
import { type LedgerService, startLedgerService } from '../ledger/ledger-service.js';
import type { Teardown } from '../ledger/teardown.js';

/** Options of {@link startOrchestratorStack}. */
export interface OrchestratorStackOptions {
  /** The repository root (the services run from there). */
  readonly root: string;
  /** The orchestrator's database and the governor's, on the benchmark's PostgreSQL. */
  readonly orchestratorDatabaseUrl: string;
  readonly ledgerDatabaseUrl: string;
  /** The orchestrator's DATABASE_POOL_MAX. */
  readonly poolMax: number;
  /** The echo agent's `limits.concurrency`: its runs at once, across the workers. */
  readonly agentConcurrency: number;
  /** Each started process is stopped by it, the orchestrator before the governor. */
  readonly teardown: Teardown;
  readonly onProgress: (message: string) => void;
}

/** The running orchestrator, its echo agent, and a caller's token. */
export interface OrchestratorStack {
  readonly orchestrator: LedgerService;
  /** The registered `{ kind: 'tool', tool: 'echo' }` agent: the no-op agent. */
  readonly echoAgentId: string;
  /** Subject `user:bench`: its tasks are its own. */
  readonly token: string;
}

/**
 * Starts the economic governor and the agent orchestrator each in its own process, as
 * production runs them (the orchestrator opens every agent's ledger account through the
 * governor, with its own service key, which the governor's JWT_PUBLIC_KEYS publish), then
 * registers the echo tool agent.
 */
export async function startOrchestratorStack(
  options: OrchestratorStackOptions,
): Promise<OrchestratorStack> {
  const { root, teardown, onProgress } = options;
  const issuerKey = generateSigningKey();
  const serviceKey = generateSigningKey();
  const jwtPublicKeys = await publicKeysOf(issuerKey, { 'agent-orchestrator': serviceKey });
  onProgress('starting economic-governor and agent-orchestrator');
  const governor = await startLedgerService({
    root,
    databaseUrl: options.ledgerDatabaseUrl,
    jwtPublicKeys,
    poolMax: options.poolMax,
    signal: teardown.signal,
  });
  teardown.add('stop economic-governor', () => governor.stop());
  const orchestrator = await startLedgerService({
    service: 'agent-orchestrator',
    root,
    databaseUrl: options.orchestratorDatabaseUrl,
    jwtPublicKeys,
    poolMax: options.poolMax,
    env: {
      ECONOMIC_GOVERNOR_URL: governor.origin.origin,
      SERVICE_SIGNING_KEY: serviceKey,
      ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
    },
    signal: teardown.signal,
  });
  teardown.add('stop agent-orchestrator', () => orchestrator.stop());

  const token = await signToken({
    signingKey: issuerKey,
    subject: 'user:bench',
    scope: 'agents:read agents:write',
    expiresIn: '2h',
  });
  const agent = new Agent({ keepAlive: false });
  try {
    const registered = (await sendJson(
      agent,
      orchestrator.origin,
      {
        method: 'POST',
        path: '/v1/agents',
        token,
        body: JSON.stringify({
          name: 'Bench echo',
          description: 'Answers with the text it is sent: the no-op agent of the benchmark',
          runtime: { kind: 'tool', tool: 'echo' },
          limits: { concurrency: options.agentConcurrency },
        }),
      },
      201,
    )) as { agent: { id: string } };
    return { orchestrator, echoAgentId: registered.agent.id, token };
  } catch (error) {
    const output = orchestrator.recentOutput();
    throw new Error(
      `registering the echo agent failed: ${(error as Error).message}${output ? `\nagent-orchestrator's last output:\n${output}` : ''}`,
    );
  } finally {
    agent.destroy();
  }
}
