import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';

const exec = promisify(execFile);

/** The connector always dials the instance's server proxy on this port. */
export const SERVER_PROXY_PORT = 3307;

export interface FakeCloudSqlOptions {
  /** `project:region:instance`, as the services are configured. */
  readonly instanceConnectionName: string;
  /** The PostgreSQL the server proxy forwards to (plain TCP on 127.0.0.1). */
  readonly postgresPort: number;
  /**
   * The instance name the server proxy's certificate claims (`project:instance` in its CN).
   * Default: the real one; another name stands in for a server that is not this instance.
   */
  readonly presentedInstance?: string;
  /** The IAM user each access token stands for (what Google's token info would say). */
  readonly tokens: Readonly<Record<string, string>>;
  /**
   * The instance's private IP: the server proxy listens there (on 3307, the connector's fixed
   * port) and connectSettings reports it. Default 127.0.0.1; test files that run side by side
   * each take another loopback address (127.0.0.2, ...).
   */
  readonly address?: string;
  /**
   * The SQL Admin API's port on 127.0.0.1. Default: a free one. A test that starts the stand-in
   * after a service was configured with its endpoint (an instance unreachable at start) names it.
   */
  readonly apiPort?: number;
}

export interface FakeCloudSql {
  /** `sqlAdminAPIEndpoint` for the connector. */
  readonly apiEndpoint: string;
  /** Connector `auth` holding `token` (ADC would supply the pod's Workload Identity token). */
  auth(token: string): GoogleAuth;
  /** Requests the fake SQL Admin API received, as `METHOD path`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/**
 * Cloud SQL's control and data planes as the connector sees them, locally: a SQL Admin API
 * (connectSettings, generateEphemeralCert signing the client's public key with the instance CA,
 * the token's IAM user in the CN) and a server proxy on <address>:3307 that requires TLS 1.3 and a
 * client certificate from that CA, admits only the user the certificate was issued to, and
 * forwards the PostgreSQL protocol to the local server.
 */
export async function startFakeCloudSql(options: FakeCloudSqlOptions): Promise<FakeCloudSql> {
  const [project, region, instance] = options.instanceConnectionName.split(':') as [
    string,
    string,
    string,
  ];
  const dir = await mkdtemp(join(tmpdir(), 'fake-cloud-sql-'));
  const at = (file: string) => join(dir, file);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await exec('openssl', [
    ...['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=Google Cloud SQL Server CA'],
    ...['-keyout', at('ca.key'), '-out', at('ca.crt')],
  ]);
  const presented = options.presentedInstance ?? `${project}:${instance}`;
  const address = options.address ?? '127.0.0.1';
  await exec('openssl', [
    ...['req', ...ec, '-subj', `/CN=${presented}`, '-keyout', at('server.key')],
    ...['-out', at('server.csr')],
  ]);
  await exec('openssl', [
    ...['x509', '-req', '-in', at('server.csr'), '-days', '2', '-CA', at('ca.crt')],
    ...['-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.crt')],
  ]);
  const caCert = await readFile(at('ca.crt'), 'utf8');
  const requests: string[] = [];
  let issued = 0;

  const signPublicKey = async (publicKeyPem: string, user: string) => {
    const name = `client-${++issued}`;
    await writeFile(at(`${name}.pub`), publicKeyPem);
    await exec('openssl', [
      ...['x509', '-new', '-force_pubkey', at(`${name}.pub`), '-subj', `/CN=${user}`],
      ...['-days', '1', '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-out', at(`${name}.crt`)],
    ]);
    return readFile(at(`${name}.crt`), 'utf8');
  };

  const base = `/sql/v1beta4/projects/${project}/instances/${instance}`;
  const api: Server = createHttpServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !options.tokens[token]) {
      reply(401, { error: { code: 401, message: 'invalid credentials' } });
      return;
    }
    const path = request.url?.split('?')[0];
    if (request.method === 'GET' && path === `${base}/connectSettings`) {
      reply(200, {
        kind: 'sql#connectSettings',
        region,
        databaseVersion: 'POSTGRES_15',
        backendType: 'SECOND_GEN',
        serverCaMode: 'GOOGLE_MANAGED_INTERNAL_CA',
        serverCaCert: {
          cert: caCert,
          expirationTime: new Date(Date.now() + 86_400_000).toISOString(),
        },
        ipAddresses: [{ type: 'PRIVATE', ipAddress: address }],
      });
      return;
    }
    if (request.method === 'POST' && path === `${base}:generateEphemeralCert`) {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', async () => {
        const { public_key: publicKey, access_token: accessToken } = JSON.parse(body) as {
          public_key: string;
          access_token?: string;
        };
        // IAM database authentication: the certificate carries the token's identity.
        const user = accessToken ? options.tokens[accessToken] : undefined;
        if (!user) {
          reply(403, { error: { code: 403, message: 'no IAM login token' } });
          return;
        }
        reply(200, {
          ephemeralCert: { kind: 'sql#sslCert', cert: await signPublicKey(publicKey, user) },
        });
      });
      return;
    }
    reply(404, { error: { code: 404, message: `no such method: ${request.method} ${path}` } });
  });

  const proxy = createTlsServer(
    {
      key: await readFile(at('server.key')),
      cert: await readFile(at('server.crt')),
      ca: caCert,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (client: TLSSocket) => {
      open.add(client);
      client.on('close', () => open.delete(client));
      forward(client, options.postgresPort);
    },
  );
  const open = new Set<TLSSocket>();
  proxy.on('tlsClientError', () => {});

  await listen(api, options.apiPort ?? 0);
  await listen(proxy, SERVER_PROXY_PORT, address);
  const bound = api.address();
  const apiPort = typeof bound === 'object' && bound ? bound.port : 0;
  return {
    apiEndpoint: `http://127.0.0.1:${apiPort}/`,
    auth: accessTokenAuth,
    requests,
    stop: async () => {
      api.closeAllConnections();
      for (const socket of open) socket.destroy();
      await Promise.all([close(api), close(proxy)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Connector `auth` holding `token`, for a stand-in that may not be running yet. */
export function accessTokenAuth(token: string): GoogleAuth {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return new GoogleAuth({ authClient: client });
}

/**
 * Reads the client's startup packet, refuses a user other than the certificate's, then relays
 * bytes to PostgreSQL, which trusts the IAM users on this path (pg_hba), as Cloud SQL does after
 * its own check.
 */
function forward(client: TLSSocket, postgresPort: number): void {
  const certificateUser = client.getPeerCertificate().subject?.CN;
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length < 4 || buffered.length < buffered.readInt32BE(0)) return;
    client.off('data', onData);
    const fields = buffered.subarray(8, buffered.readInt32BE(0)).toString('utf8').split('\0');
    const user = fields[fields.indexOf('user') + 1];
    if (user !== certificateUser) {
      client.end(errorResponse(`certificate is for ${certificateUser}, not ${user}`));
      return;
    }
    const server = connectTcp(postgresPort, '127.0.0.1', () => {
      server.write(buffered);
      client.pipe(server);
      server.pipe(client);
    });
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
  };
  client.on('data', onData);
}

function errorResponse(message: string): Buffer {
  const body = Buffer.from(`SFATAL\0C28000\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const listen = (
  server: Server | ReturnType<typeof createTlsServer>,
  port: number,
  host = '127.0.0.1',
) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

const close = (server: Server | ReturnType<typeof createTlsServer>) =>
  new Promise<void>((resolve) => server.close(() => resolve()));
