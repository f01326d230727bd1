import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import type { Core } from 'cytoscape';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/harness/chromium.js';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../../test/harness/jwt.js';
import { decodePng, type Rgb } from '../../../test/harness/png.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { aiaApiModule } from '../../aia-api/module.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import { dkgApp } from '../testing/dkg-app.js';
import { GRAPH_PAGE_PATH } from './graph-page-routes.js';

const database = useTestDatabase('dkg_graph_page');
// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const gatewayDatabase = useTestDatabase('dkg_graph_page_gateway');
const VIEWPORT = { width: 1200, height: 800 };
/** How far a screenshot's pixel may be from the colour the graph gives a node, per channel. */
const COLOUR_TOLERANCE = 8;
/** A node is drawn 28 px across (44 at the centre): a disc of at least this many pixels. */
const MIN_NODE_PIXELS = 400;

let sql: Database;
let server: Server;
let gateway: RunningService;
let chromium: Browser;
let token: string;
const ids: Record<string, string> = {};

/** Where a person opens the page: on the DKG manager itself, or through the gateway. */
interface Placement {
  readonly name: string;
  readonly origin: () => string;
  /** Where the page is served; its API is the path above it. */
  readonly pagePath: string;
  readonly apiPath: string;
}
const placements: readonly Placement[] = [
  {
    name: 'on the DKG manager',
    origin: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pagePath: GRAPH_PAGE_PATH,
    apiPath: '/v1/',
  },
  {
    name: 'through the gateway',
    origin: () => gateway.url,
    pagePath: '/v1/graph/explore/',
    apiPath: '/v1/graph/',
  },
];
/** The page's old address, which both redirect to the page (a shared link's hash kept). */
const OLD_PAGE_PATH = '/graph/explore';

// The page and what it saw, for the placement whose tests run.
let context: BrowserContext;
let page: Page;
let requests: Request[] = [];
let pageErrors: string[] = [];

interface DrawnNode {
  id: string;
  kind: string;
  title: string;
  colour: string;
  x: number;
  y: number;
  centre: boolean;
}
interface DrawnEdge {
  title: string;
  source: string;
  target: string;
}

/** What Cytoscape holds and where it drew each node (rendered coordinates, in the container). */
const drawn = (): Promise<{ nodes: DrawnNode[]; edges: DrawnEdge[] }> =>
  page.evaluate(() => {
    const { cy } = (globalThis as unknown as { dkgExplorer: { cy: Core } }).dkgExplorer;
    return {
      nodes: cy.nodes().map((node) => ({
        id: node.id(),
        kind: String(node.data('kind')),
        title: String(node.data('title')),
        colour: String(node.style('background-color')),
        ...node.renderedPosition(),
        centre: node.hasClass('centre'),
      })),
      edges: cy.edges().map((edge) => ({
        title: String(edge.data('title')),
        source: edge.source().id(),
        target: edge.target().id(),
      })),
    };
  });

const titles = (nodes: DrawnNode[]) => nodes.map((node) => node.title).sort();
const readyOn = (name: string) =>
  page.waitForSelector(`body[data-state="ready"][data-centre="${ids[name]}"]`, { timeout: 5_000 });
const graphBox = async () => {
  const box = await page.locator('#graph').boundingBox();
  if (!box) throw new Error('#graph is not displayed');
  return box;
};
const rgbOf = (css: string): Rgb => {
  const [r = -1, g = -1, b = -1] = (css.match(/\d+/g) ?? []).map(Number);
  return { r, g, b };
};
const near = (a: Rgb, b: Rgb) =>
  Math.abs(a.r - b.r) <= COLOUR_TOLERANCE &&
  Math.abs(a.g - b.g) <= COLOUR_TOLERANCE &&
  Math.abs(a.b - b.b) <= COLOUR_TOLERANCE;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-page-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  const dkg = dkgApp(sql);
  const create = async (registry: string, name: string, description: string) => {
    const res = await dkg.call('POST', `/${registry}`, { body: { name, description } });
    expect(res.status, await res.clone().text()).toBe(201);
    ids[name] = ((await res.json()) as { entry: { id: string } }).entry.id;
  };
  await create('agents', 'Analyst', 'Researches markets');
  await create('skills', 'Market research', 'Sizes a market from public sources');
  await create('tools', 'Web search', 'Searches the public web');
  await create('strategies', 'Search then summarise', 'Searches, then condenses');
  const relate = async (type: string, from: string, to: string, extra = {}) => {
    const res = await dkg.call('PUT', '/relations', {
      body: { type, from_id: ids[from], to_id: ids[to], ...extra },
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };
  await relate('HAS_SKILL', 'Analyst', 'Market research', { level: 4 });
  await relate('REQUIRES', 'Market research', 'Web search');
  await relate('USES', 'Search then summarise', 'Web search');

  server = serve({ fetch: dkg.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  const [direct] = placements;
  const served = await fetch(`${direct?.origin()}${GRAPH_PAGE_PATH}`);
  if (served.status !== 200) {
    throw new Error(
      `GET ${GRAPH_PAGE_PATH} answered ${served.status}: the DKG manager's module must return publicRoutes: graphPageRoutes() and unauthenticatedApiPrefixes: [GRAPH_PAGE_ACCESS]`,
    );
  }
  // The gateway routes only to the DKG manager here; no Redis: its rate limiter fails open.
  gateway = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: gatewayDatabase.url,
      DKG_MANAGER_URL: direct?.origin() ?? '',
    },
    module: aiaApiModule,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });

  token = await testToken({ subject: 'reader', scope: 'dkg:read', expiresIn: '1h' });
  chromium = await launchChromium();
}, 30_000);

afterAll(async () => {
  await chromium?.close();
  await gateway?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await sql?.end();
});

describe.each(placements)('the graph page in Chromium, $name', ({ origin, pagePath, apiPath }) => {
  beforeAll(async () => {
    requests = [];
    pageErrors = [];
    context = await chromium.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    context.on('request', (request) => requests.push(request));
    page = await context.newPage();
    // Script errors and refused resources (a CSP violation is a console error) fail the last test.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
  });
  afterAll(() => context?.close());

  it("asks for a token, then draws a shared link's entry with its neighbours coloured by label and relations named", async () => {
    // A link to the page's old address: redirected to the page, the entry and hops kept.
    const link = `#id=${ids['Market research']}&hops=1`;
    await page.goto(`${origin()}${OLD_PAGE_PATH}${link}`);
    await page.waitForSelector('body[data-state="needs-token"]');
    expect(page.url()).toBe(`${origin()}${pagePath}${link}`);
    await page.locator('#token-input').fill(`Bearer ${token}`);
    await page.locator('#token-form button').click();
    await readyOn('Market research');

    const { nodes, edges } = await drawn();
    expect(titles(nodes)).toEqual(['Analyst', 'Market research', 'Web search']);
    expect(nodes.filter((node) => node.centre).map((node) => node.title)).toEqual([
      'Market research',
    ]);
    expect(edges.map((edge) => edge.title).sort()).toEqual(['HAS_SKILL · level 4', 'REQUIRES']);
    const hasSkill = edges.find((edge) => edge.title.startsWith('HAS_SKILL'));
    expect(hasSkill).toMatchObject({
      source: ids.Analyst,
      target: ids['Market research'],
    });
    const colours = new Map(nodes.map((node) => [node.kind, node.colour]));
    expect(colours.size).toBe(3);
    expect(new Set(colours.values()).size).toBe(3);
    expect(await page.locator('#status').textContent()).toContain(
      '3 entries and 2 relations within 1 hop',
    );
  });

  it('shows on the screenshot each node in its colour where the graph says it is', async () => {
    const { nodes } = await drawn();
    const box = await graphBox();
    const shot = decodePng(await page.screenshot());
    expect(shot.width).toBe(VIEWPORT.width);
    for (const node of nodes) {
      const colour = rgbOf(node.colour);
      // The centre and four points around it: a label or an edge may cross one of them.
      const samples = [
        [0, 0],
        [-6, 0],
        [6, 0],
        [0, -6],
        [0, 6],
      ].map(([dx = 0, dy = 0]) => shot.pixel(box.x + node.x + dx, box.y + node.y + dy));
      const matching = samples.filter((sample) => near(sample, colour)).length;
      expect(matching, `${node.title} drawn ${node.colour} at its position`).toBeGreaterThanOrEqual(
        3,
      );
    }
    // Each label's colour covers at least a node's disc of the graph's area: it is not blank.
    const counts = new Map(nodes.map((node) => [node.colour, 0]));
    for (let y = Math.ceil(box.y); y < box.y + box.height; y += 1) {
      for (let x = Math.ceil(box.x); x < box.x + box.width; x += 1) {
        const pixel = shot.pixel(x, y);
        for (const [colour, count] of counts) {
          if (near(pixel, rgbOf(colour))) counts.set(colour, count + 1);
        }
      }
    }
    for (const [colour, count] of counts)
      expect(count, `pixels of ${colour}`).toBeGreaterThanOrEqual(MIN_NODE_PIXELS);
  });

  it('re-centres on a clicked node, keeping it in the URL, and widens with the hops selector', async () => {
    const webSearch = (await drawn()).nodes.find((node) => node.title === 'Web search');
    if (!webSearch) throw new Error('Web search is not drawn');
    const box = await graphBox();
    await page.mouse.click(box.x + webSearch.x, box.y + webSearch.y);
    await readyOn('Web search');
    expect(new URL(page.url()).hash).toBe(`#id=${ids['Web search']}&hops=1`);
    const recentred = await drawn();
    expect(titles(recentred.nodes)).toEqual([
      'Market research',
      'Search then summarise',
      'Web search',
    ]);
    expect(recentred.nodes.find((node) => node.centre)?.title).toBe('Web search');

    await page.locator('#hops').selectOption('2');
    await page.waitForSelector('#status:has-text("within 2 hops")');
    expect(new URL(page.url()).hash).toBe(`#id=${ids['Web search']}&hops=2`);
    expect(titles((await drawn()).nodes)).toEqual([
      'Analyst',
      'Market research',
      'Search then summarise',
      'Web search',
    ]);
  });

  it('finds an entry by search and centres on the one picked', async () => {
    await page.locator('#search-input').fill('summ');
    await page.locator('#search-form button').click();
    const result = page.locator(
      `#search-results button[data-id="${ids['Search then summarise']}"]`,
    );
    await expect(result.textContent()).resolves.toBe('Search then summarise (Strategy)');
    await result.click();
    await readyOn('Search then summarise');
    expect((await drawn()).nodes.find((node) => node.centre)?.title).toBe('Search then summarise');
  });

  it('keeps the token for the tab, and after a reload draws the link again without asking', async () => {
    await page.reload();
    await readyOn('Search then summarise');
    const stored = await page.evaluate(() => ({
      session: Object.keys(globalThis.sessionStorage),
      local: globalThis.localStorage.length,
    }));
    expect(stored).toEqual({ session: ['dkg-explorer-token'], local: 0 });
  });

  it('sends the token in Authorization on every API call, and never in a URL', async () => {
    const api = requests.filter((request) => {
      const { pathname } = new URL(request.url());
      return pathname.startsWith(apiPath) && !pathname.startsWith(pagePath);
    });
    expect(api.map((request) => new URL(request.url()).pathname)).toEqual(
      expect.arrayContaining([`${apiPath}graph/neighbourhood`, `${apiPath}search`]),
    );
    for (const request of api)
      expect((await request.allHeaders()).authorization, request.url()).toBe(`Bearer ${token}`);
    for (const request of requests) {
      expect(request.url().startsWith(origin()), request.url()).toBe(true);
      expect(request.url()).not.toContain(token);
      expect(request.url()).not.toContain(token.split('.')[2]);
    }
    expect(page.url()).not.toContain(token.split('.')[2]);
  });

  it('asks again for a token the API refuses', async () => {
    await page.evaluate(() => globalThis.sessionStorage.setItem('dkg-explorer-token', 'expired'));
    await page.reload();
    await page.waitForSelector('body[data-state="needs-token"]');
    await expect(page.locator('#status').textContent()).resolves.toContain('token was refused');
    expect(await page.evaluate(() => globalThis.sessionStorage.length)).toBe(0);
  });

  it('ran without a script error or a refused resource (the CSP lets everything it needs through)', () => {
    // The refused token's 401 is the one failure expected.
    expect(pageErrors).toEqual([
      expect.stringContaining(`401 ${origin()}${apiPath}graph/neighbourhood?`),
      expect.stringMatching(/status of 401/),
    ]);
  });
});
