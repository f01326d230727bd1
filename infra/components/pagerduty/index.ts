export { PagerDutyRouting, type PagerDutyRoutingArgs } from './pagerduty-routing.js';
export {
  type AreaSettings,
  describeLabels,
  type EscalationFallback,
  type EscalationSettings,
  escalationRules,
  pagerdutyName,
  type ScheduleLayerSettings,
  type ScheduleSettings,
  type SupportHours,
  scheduleLayers,
  urgencySettings,
  validateRouting,
} from './settings.js';
