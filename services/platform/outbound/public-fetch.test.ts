import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicAddress, OutboundAddressError, publicFetch } from './public-fetch.js';

const PUBLIC_ONLY = { allowPrivate: false };
const LOCAL = { allowPrivate: true };

let server: Server;
let port: number;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    if (request.url === '/moved') {
      response.writeHead(302, { Location: `http://127.0.0.1:${port}/elsewhere` }).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The error publicFetch threw, or undefined when it answered. */
const refusal = async (url: string, policy = PUBLIC_ONLY) => {
  try {
    await publicFetch(url, { method: 'POST', body: 'x' }, policy);
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('publicFetch', () => {
  it.each([
    ['http://127.0.0.1:{port}/', 'loopback'],
    ['http://[::1]:{port}/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[fd00::1]/', 'unique-local'],
    ['http://2130706433:{port}/', 'loopback'],
  ])('refuses %s (%s) and sends nothing', async (template, range) => {
    const before = received.length;
    const error = await refusal(template.replace('{port}', String(port)));
    expect(error).toBeInstanceOf(OutboundAddressError);
    expect((error as OutboundAddressError).range).toBe(range);
    expect((error as Error).message).toContain(`a ${range} address`);
    expect(received.length).toBe(before);
  });

  it('refuses a name that resolves to loopback (localhost), naming the host and the address', async () => {
    const before = received.length;
    const error = await refusal(`http://localhost:${port}/hook`);
    expect(error).toBeInstanceOf(OutboundAddressError);
    expect((error as Error).message).toMatch(
      /^localhost: resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    expect(received.length).toBe(before);
  });

  it('lets a local server through when private addresses are allowed, by address and by name', async () => {
    const byAddress = await publicFetch(
      `http://127.0.0.1:${port}/a`,
      { method: 'POST', body: 'x' },
      LOCAL,
    );
    expect(byAddress.status).toBe(200);
    expect(await byAddress.text()).toBe('hello');
    const byName = await publicFetch(
      `http://localhost:${port}/b`,
      { method: 'POST', body: 'x' },
      LOCAL,
    );
    expect(byName.status).toBe(200);
    await byName.arrayBuffer();
    expect(received).toEqual(expect.arrayContaining(['POST /a', 'POST /b']));
  });

  it('still refuses link-local and metadata addresses when private addresses are allowed', async () => {
    expect(await refusal('http://169.254.169.254/', LOCAL)).toBeInstanceOf(OutboundAddressError);
    expect(await refusal('http://[fe80::1]/', LOCAL)).toBeInstanceOf(OutboundAddressError);
  });

  it('does not follow a redirect: the 3xx is answered as it is', async () => {
    const res = await publicFetch(`http://127.0.0.1:${port}/moved`, { method: 'GET' }, LOCAL);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/elsewhere');
    expect(received).not.toContain('GET /elsewhere');
  });

  it('refuses a URL that is not http(s)', async () => {
    const error = await refusal('file:///etc/passwd', LOCAL);
    expect(error).toBeInstanceOf(OutboundAddressError);
    expect((error as Error).message).toContain('is a file: URL; expected http(s)');
  });
});

describe('assertPublicAddress', () => {
  it('answers the checked addresses of a public URL without connecting', async () => {
    expect(await assertPublicAddress('https://93.184.215.14/hook', PUBLIC_ONLY)).toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
  });

  it('refuses a metadata URL, naming its host', async () => {
    await expect(assertPublicAddress('http://169.254.169.254/', PUBLIC_ONLY)).rejects.toThrow(
      '169.254.169.254: 169.254.169.254 is a cloud metadata address; only public addresses are called',
    );
  });

  it('refuses a host that does not resolve', async () => {
    await expect(assertPublicAddress('https://no-such-host.invalid/', PUBLIC_ONLY)).rejects.toThrow(
      /^no-such-host\.invalid: does not resolve/,
    );
  });
});
