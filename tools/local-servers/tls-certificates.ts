import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './binaries.js';

const exec = promisify(execFile);

/** PEM files of a local certificate authority and one server certificate it signed. */
export interface LocalTlsFiles {
  /** The CA certificate: what a client must trust. */
  readonly caFile: string;
  /** The server certificate, for `127.0.0.1` and `localhost`. */
  readonly certFile: string;
  /** The server's private key (mode 0600). */
  readonly keyFile: string;
}

/**
 * Creates, in `dir`, a CA of its own (named `name`, valid two days) and a server certificate it
 * signs for `IP:127.0.0.1` and `DNS:localhost`, with `openssl`. P-256 keys: made in milliseconds.
 * Like Memorystore's and Cloud SQL's per-instance CAs, nothing but this CA trusts the server.
 * @throws Error naming openssl when it is missing.
 */
export async function createLocalTls(
  dir: string,
  name: string,
  {
    commonNameOnly,
  }: {
    /**
     * A server certificate naming this address in its subject CN only, without subjectAltName,
     * as Memorystore's does. Default: the SAN certificate above.
     */
    commonNameOnly?: string;
  } = {},
): Promise<LocalTlsFiles> {
  const openssl = findExecutable('openssl', ['/usr/bin']);
  if (!openssl) throw new Error('openssl not found: install it with `apt-get install openssl`');
  const at = (file: string) => join(resolve(dir), file);
  await mkdir(resolve(dir), { recursive: true });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await exec(openssl, [
    ...['req', '-x509', ...key, '-days', '2', '-subj', `/CN=${name} local CA`],
    ...['-keyout', at('ca.key'), '-out', at('ca.crt')],
  ]);
  await exec(openssl, [
    ...['req', ...key, '-subj', `/CN=${commonNameOnly ?? '127.0.0.1'}`],
    ...['-keyout', at('server.key'), '-out', at('server.csr')],
  ]);
  await writeFile(
    at('server.ext'),
    commonNameOnly ? 'basicConstraints=CA:FALSE\n' : 'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  await exec(openssl, [
    ...['x509', '-req', '-in', at('server.csr'), '-days', '2', '-extfile', at('server.ext')],
    ...['-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.crt')],
  ]);
  await chmod(at('server.key'), 0o600);
  return { caFile: at('ca.crt'), certFile: at('server.crt'), keyFile: at('server.key') };
}
