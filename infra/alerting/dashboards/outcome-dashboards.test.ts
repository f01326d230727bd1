import { describe, expect, it } from 'vitest';
import { catalog, STACKS } from '../../../services/catalog.js';
import { AGENT_PANELS, agentsDashboard } from './agents.js';
import type { Dashboard } from './dashboard.js';
import { alteredCatalog } from './test-catalog.js';
import { TOKEN_PANELS, tokenEconomyDashboard } from './token-economy.js';

const lines = (board: Dashboard, title: string) =>
  board.panels
    .find((p) => p.title === title)
    ?.fieldConfig.defaults.thresholds.steps.flatMap((s) => (s.value === null ? [] : [s.value]));

const exprs = (board: Dashboard) => board.panels.flatMap((p) => p.targets.map((t) => t.expr));

describe('tokenEconomyDashboard', () => {
  it.each(STACKS)('draws the governor token failure threshold on %s', (stack) => {
    const board = tokenEconomyDashboard(stack);
    expect(board.uid).toBe('aia-token-economy');
    expect(board.panels.map((p) => p.title)).toEqual(Object.values(TOKEN_PANELS));
    expect(lines(board, TOKEN_PANELS.failures)).toEqual([
      catalog['economic-governor'].alerts[stack].tokenTransactionFailurePercent,
    ]);
  });

  it('breaks transactions down by ledger and result and counts failed ones as failures', () => {
    const [byResult, overall, byLedger] = exprs(tokenEconomyDashboard('production'));
    expect(byResult).toBe(
      'sum by (ledger, result) (rate(token_transactions_total{service="economic-governor"}[5m]))',
    );
    expect(overall).toContain(
      'token_transactions_total{service="economic-governor", result="failed"}',
    );
    expect(byLedger).toMatch(/^100 \* \(sum by \(ledger\) /);
  });

  it('moves the line with the catalog copy it is given', () => {
    const altered = alteredCatalog('economic-governor', {
      alerts: { tokenTransactionFailurePercent: 0.5 },
    });
    expect(lines(tokenEconomyDashboard('staging', altered), TOKEN_PANELS.failures)).toEqual([0.5]);
  });

  it('refuses a catalog where no service sets the threshold', () => {
    const altered = alteredCatalog('economic-governor', {
      alerts: { tokenTransactionFailurePercent: undefined },
    });
    expect(() => tokenEconomyDashboard('production', altered)).toThrow(
      'No service in the catalog sets alerts.production.tokenTransactionFailurePercent',
    );
  });

  it('gives each service that sets the threshold its own panels', () => {
    const altered = alteredCatalog('aia-api', { alerts: { tokenTransactionFailurePercent: 2 } });
    const board = tokenEconomyDashboard('production', altered);
    expect(board.panels.map((p) => p.title)).toEqual([
      `${TOKEN_PANELS.rate} — aia-api`,
      `${TOKEN_PANELS.failures} — aia-api`,
      `${TOKEN_PANELS.rate} — economic-governor`,
      `${TOKEN_PANELS.failures} — economic-governor`,
    ]);
    expect(lines(board, `${TOKEN_PANELS.failures} — aia-api`)).toEqual([2]);
    expect(lines(board, `${TOKEN_PANELS.failures} — economic-governor`)).toEqual([1]);
  });
});

describe('agentsDashboard', () => {
  it.each(STACKS)('draws the orchestrator agent failure threshold on %s', (stack) => {
    const board = agentsDashboard(stack);
    expect(board.uid).toBe('aia-agents');
    expect(board.panels.map((p) => p.title)).toEqual(Object.values(AGENT_PANELS));
    expect(lines(board, AGENT_PANELS.failures)).toEqual([
      catalog['agent-orchestrator'].alerts[stack].agentFailurePercent,
    ]);
    expect(exprs(board)).toEqual([
      'sum by (outcome) (rate(agent_runs_total{service="agent-orchestrator"}[5m]))',
      '100 * (sum(rate(agent_runs_total{service="agent-orchestrator", outcome="failed"}[5m])) or 0 * sum(rate(agent_runs_total{service="agent-orchestrator"}[5m]))) / sum(rate(agent_runs_total{service="agent-orchestrator"}[5m]))',
    ]);
  });

  it('moves the line with the catalog copy it is given', () => {
    const altered = alteredCatalog('agent-orchestrator', { alerts: { agentFailurePercent: 25 } });
    expect(lines(agentsDashboard('production', altered), AGENT_PANELS.failures)).toEqual([25]);
  });
});
