export { CentralizedLogging, type CentralizedLoggingArgs } from './centralized-logging.js';
export { LOG_ALERT_THRESHOLDS, type LogMetric, logMetrics } from './settings.js';
