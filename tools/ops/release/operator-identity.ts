import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** GitHub Actions' OIDC issuer: its tokens are signed with the keys at `<issuer>/.well-known/jwks`. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
/** The audience the ops CLI asks GitHub's OIDC token for: a token meant for nothing else. */
export const OPS_AUDIT_AUDIENCE = 'aia-platform-ops-audit';

/** Where an operator's identity is looked for; the process's environment by default. */
export interface IdentityOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** The OIDC issuer trusted for GitHub Actions tokens (tests: a local one). */
  readonly githubIssuer?: string;
}

/**
 * Who is making a change, as authenticated, never as declared: in a GitHub Actions job that may
 * ask for an OIDC token (`id-token: write`), the workflow's actor from that token, verified
 * against GitHub's keys; otherwise the account gcloud acts as (`gcloud config get account`), once
 * `gcloud auth print-access-token` has proved it holds working credentials (the account Pulumi's
 * Google provider uses when it runs on gcloud's credentials). `undefined` when neither can be
 * established.
 */
export async function operatorIdentity(options: IdentityOptions = {}): Promise<string | undefined> {
  return (await githubActor(options)) ?? (await gcloudAccount(options));
}

/**
 * The same, or an error that says how to establish one: what a change that is audited needs.
 * @throws Error naming both ways when no identity can be established.
 */
export async function requireOperatorIdentity(options: IdentityOptions = {}): Promise<string> {
  const identity = await operatorIdentity(options);
  if (identity) return identity;
  throw new Error(
    'no authenticated identity to record the change under: log in with gcloud (gcloud auth login; `gcloud config get account` names the account, and it must hold working credentials), or run in a GitHub Actions job with id-token: write',
  );
}

/** The actor of a GitHub Actions job, from an OIDC token verified against the issuer's keys. */
export async function githubActor({
  env = process.env,
  githubIssuer = GITHUB_OIDC_ISSUER,
}: IdentityOptions = {}): Promise<string | undefined> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) return undefined;
  const url = new URL(requestUrl);
  url.searchParams.set('audience', OPS_AUDIT_AUDIENCE);
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${requestToken}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`GitHub Actions refused an OIDC token (${response.status})`);
  }
  const { value } = (await response.json()) as { value?: string };
  if (!value) throw new Error('GitHub Actions answered without an OIDC token');
  const keys = createRemoteJWKSet(new URL(`${githubIssuer.replace(/\/+$/, '')}/.well-known/jwks`));
  const { payload } = await jwtVerify(value, keys, {
    issuer: githubIssuer,
    audience: OPS_AUDIT_AUDIENCE,
  });
  const { actor, repository, workflow_ref: workflowRef, run_id: runId } = payload;
  if (typeof actor !== 'string' || !actor) throw new Error('the OIDC token names no actor');
  return `github:${actor} (${String(workflowRef ?? repository)}, run ${String(runId)})`;
}

/** gcloud's active account, when its credentials work; undefined without gcloud or a login. */
export async function gcloudAccount({
  env = process.env,
}: IdentityOptions = {}): Promise<string | undefined> {
  const gcloud = (args: string[]) =>
    promisify(execFile)('gcloud', args, { env, encoding: 'utf8', timeout: 30_000 }).then(
      ({ stdout }) => stdout.trim(),
      () => undefined,
    );
  const account = await gcloud(['config', 'get', 'account']);
  if (!account) return undefined;
  // The token is discarded: its issuance is the proof that the account is logged in.
  const token = await gcloud(['auth', 'print-access-token', `--account=${account}`, '--quiet']);
  return token ? account : undefined;
}
