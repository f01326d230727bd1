export { AGENT_PANELS, agentsDashboard } from './agents.js';
export { type Catalog, LINE_COLORS, type ThresholdOwner, thresholdOwners } from './catalog.js';
export {
  DASHBOARD_LABEL,
  DASHBOARD_NAMESPACE,
  type DashboardConfigMap,
  dashboardConfigMap,
  dashboardConfigMaps,
} from './config-maps.js';
export {
  type Dashboard,
  dashboardExpressions,
  dashboardUid,
  PLATFORM_TAG,
  SCHEMA_VERSION,
} from './dashboard.js';
export type { Panel, Target, ThresholdStep } from './panels.js';
export { OVERVIEW_PANELS, platformOverviewDashboard } from './platform-overview.js';
export { RATE_WINDOW, SLO_WINDOW } from './promql.js';
export { SERVICE_PANELS, serviceDashboard } from './service-dashboard.js';
export { TOKEN_PANELS, tokenEconomyDashboard } from './token-economy.js';
