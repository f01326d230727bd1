// The DKG explorer: draws an entry's neighbourhood from the API's graph/neighbourhood, finds
// entries through its search, and re-centres on a clicked node. Served as it is (no build step).
//
// The bearer token a person pastes stays in this tab's sessionStorage and travels only in the
// Authorization header; the URL's hash holds the entry and the hops, so a link can be shared
// without the token. Text from the graph is only ever set as text (textContent, canvas labels).
import cytoscape from './cytoscape.js';

/**
 * The API the page is under: `/v1/` when the page is `/v1/explore/` on the DKG manager,
 * `/v1/graph/` when it is `/v1/graph/explore/` on the gateway.
 */
const API_BASE = new URL('../', document.baseURI);
const TOKEN_KEY = 'dkg-explorer-token';
const HOPS = ['1', '2', '3'];
const DEFAULT_HOPS = '1';

/** One colour per label; the legend shows the same table. */
const LABEL_COLOURS = {
  Agent: '#2563eb',
  Skill: '#16a34a',
  Tool: '#d97706',
  Strategy: '#9333ea',
  TaskType: '#db2777',
  Version: '#64748b',
};
const UNKNOWN_LABEL_COLOUR = '#111827';
const colourOf = (label) => LABEL_COLOURS[label] ?? UNKNOWN_LABEL_COLOUR;

const element = (id) => document.getElementById(id);
const ui = {
  tokenForm: element('token-form'),
  tokenInput: element('token-input'),
  forgetToken: element('forget-token'),
  searchForm: element('search-form'),
  searchInput: element('search-input'),
  searchResults: element('search-results'),
  hops: element('hops'),
  status: element('status'),
  legend: element('legend'),
  graph: element('graph'),
};

const cy = cytoscape({
  container: ui.graph,
  minZoom: 0.2,
  maxZoom: 3,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': (node) => colourOf(node.data('kind')),
        label: 'data(title)',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'font-size': 11,
        'text-wrap': 'ellipsis',
        'text-max-width': '140px',
        width: 28,
        height: 28,
      },
    },
    {
      selector: 'node.centre',
      style: { width: 44, height: 44, 'border-width': 3, 'border-color': '#1f2328' },
    },
    {
      selector: 'edge',
      style: {
        label: 'data(title)',
        'font-size': 9,
        color: '#57606a',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 1,
        width: 1.5,
        'line-color': '#8c959f',
        'target-arrow-color': '#8c959f',
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
      },
    },
  ],
});
// For tests and the curious: the drawn graph's state (its data came from the API anyway).
window.dkgExplorer = { cy };

/** The view the URL's hash names: `#id=<entry>&hops=<1-3>`. */
function currentView() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const hops = params.get('hops');
  return { id: params.get('id') ?? '', hops: HOPS.includes(hops) ? hops : DEFAULT_HOPS };
}

function show(view) {
  const params = new URLSearchParams({ id: view.id, hops: view.hops });
  // hashchange loads it; setting the same hash again changes nothing, so load directly then.
  if (window.location.hash.slice(1) === params.toString()) void load();
  else window.location.hash = params.toString();
}

function setStatus(state, message) {
  document.body.dataset.state = state;
  ui.status.textContent = message;
  ui.status.dataset.kind = state === 'error' ? 'error' : 'info';
}

const storedToken = () => sessionStorage.getItem(TOKEN_KEY);

function askForToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  ui.tokenForm.hidden = false;
  ui.forgetToken.hidden = true;
  setStatus('needs-token', message);
  ui.tokenInput.focus();
}

class ApiRefusal extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A GET of the API with the token; a refusal carries the problem's own words. */
async function api(path, params) {
  const url = new URL(path, API_BASE);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${storedToken()}`, Accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.ok) return response.json();
  const problem = await response.json().catch(() => ({}));
  // An RFC 9457 problem: its detail names the fields at fault.
  const said = problem.detail ?? problem.title ?? response.statusText;
  throw new ApiRefusal(response.status, `${response.status}: ${said}`);
}

/** Handles a failed call: a refused token is asked for again, anything else is shown. */
function refused(error) {
  if (error instanceof ApiRefusal && error.status === 401) {
    askForToken('The token was refused (expired or not valid here): paste another.');
  } else if (error instanceof ApiRefusal && error.status === 403) {
    setStatus('error', 'The token lacks the dkg:read scope.');
  } else {
    setStatus('error', error instanceof Error ? error.message : String(error));
  }
}

const titleOf = (node) => node.name ?? `${node.label} ${node.id.slice(0, 8)}`;
const edgeTitle = (edge) =>
  edge.level === null ? edge.type : `${edge.type} · level ${edge.level}`;

function draw({ nodes, edges }, centreId, hops) {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(
      nodes.map((node) => ({
        group: 'nodes',
        data: { id: node.id, kind: node.label, title: titleOf(node), name: node.name },
        classes: node.id === centreId ? 'centre' : '',
      })),
    );
    cy.add(
      edges.map((edge) => ({
        group: 'edges',
        data: {
          id: `${edge.type}:${edge.from_id}:${edge.to_id}`,
          source: edge.from_id,
          target: edge.to_id,
          type: edge.type,
          level: edge.level,
          title: edgeTitle(edge),
        },
      })),
    );
  });
  cy.layout({
    name: 'breadthfirst',
    roots: [centreId],
    directed: false,
    circle: true,
    spacingFactor: 1.2,
    padding: 40,
    animate: false,
  }).run();
  const centre = nodes.find((node) => node.id === centreId);
  const summary =
    `${centre ? titleOf(centre) : centreId} (${centre?.label ?? 'entry'}): ` +
    `${nodes.length} entries and ${edges.length} relations within ${hops} hop${hops === '1' ? '' : 's'}. ` +
    'Click an entry to centre on it.';
  // Ready once drawn on screen (the canvas renders on the next frame), not merely laid out.
  cy.one('render', () => {
    document.body.dataset.centre = centreId;
    setStatus('ready', summary);
  });
}

let latestLoad = 0;

/** Draws the neighbourhood the hash names; a slower, older answer never overwrites a newer. */
async function load() {
  const { id, hops } = currentView();
  ui.hops.value = hops;
  if (!storedToken()) return askForToken('Paste a token with the dkg:read scope to start.');
  if (!id) return setStatus('idle', 'Search for an entry, then pick it.');
  const thisLoad = ++latestLoad;
  setStatus('loading', 'Loading…');
  try {
    const graph = await api('graph/neighbourhood', { id, hops });
    if (thisLoad === latestLoad) draw(graph, id, hops);
  } catch (error) {
    if (thisLoad === latestLoad) refused(error);
  }
}

function swatch(label) {
  const dot = document.createElement('span');
  dot.className = 'swatch';
  dot.style.backgroundColor = colourOf(label);
  return dot;
}

async function search(query) {
  ui.searchResults.replaceChildren();
  setStatus('loading', 'Searching…');
  try {
    const { results } = await api('search', { q: query, limit: 20 });
    ui.searchResults.replaceChildren(
      ...results.map((result) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.id = result.id;
        button.append(swatch(result.label), `${titleOf(result)} (${result.label})`);
        button.addEventListener('click', () => show({ id: result.id, hops: ui.hops.value }));
        const item = document.createElement('li');
        item.append(button);
        return item;
      }),
    );
    setStatus('idle', results.length === 0 ? `Nothing matches “${query}”.` : 'Pick an entry.');
  } catch (error) {
    refused(error);
  }
}

ui.legend.replaceChildren(
  ...Object.keys(LABEL_COLOURS).map((label) => {
    const item = document.createElement('li');
    item.append(swatch(label), label);
    return item;
  }),
);

ui.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.tokenInput.value.trim().replace(/^Bearer\s+/i, '');
  ui.tokenInput.value = '';
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  ui.tokenForm.hidden = true;
  ui.forgetToken.hidden = false;
  void load();
});

ui.forgetToken.addEventListener('click', () => {
  cy.elements().remove();
  ui.searchResults.replaceChildren();
  askForToken('Token forgotten. Paste a token to go on.');
});

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = ui.searchInput.value.trim();
  if (query) void search(query);
});

ui.hops.addEventListener('change', () => {
  const { id } = currentView();
  if (id) show({ id, hops: ui.hops.value });
});

cy.on('tap', 'node', (event) => show({ id: event.target.id(), hops: ui.hops.value }));
window.addEventListener('hashchange', () => void load());

if (storedToken()) {
  ui.tokenForm.hidden = true;
  ui.forgetToken.hidden = false;
}
void load();
