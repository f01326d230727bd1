/**
 * The one PromQL helper library of the alert rules and the dashboards: selectors (matchers of a
 * service's series, Deployments and containers) and builders (rates, ratios, quantiles).
 */
export * from './builders.js';
export * from './selectors.js';
