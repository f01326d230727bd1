import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from '../security-contexts.js';
import type { MonitoringSizes } from './sizes.js';
import type { MonitoringValuesArgs } from './values.js';

/** Keys of the Grafana admin Secret, as the chart reads them. */
export const GRAFANA_ADMIN_KEYS = { user: 'admin-user', password: 'admin-password' } as const;

/** Values of the Grafana subchart: admin from the Secret, public URL, dashboards from ConfigMaps. */
export function grafanaValues(args: MonitoringValuesArgs, sizes: MonitoringSizes) {
  const tracing = args.tracingQueryUrl;
  return {
    // Stateless: dashboards come from ConfigMaps, data sources from provisioning, the admin from
    // the Secret, so one replica with no volume loses nothing on restart.
    replicas: 1,
    persistence: { enabled: false },
    initChownData: { enabled: false },
    testFramework: { enabled: false },
    admin: {
      existingSecret: args.grafanaAdminSecretName,
      userKey: GRAFANA_ADMIN_KEYS.user,
      passwordKey: GRAFANA_ADMIN_KEYS.password,
    },
    'grafana.ini': {
      server: { domain: args.grafanaHost, root_url: `https://${args.grafanaHost}/` },
      security: { cookie_secure: true, disable_gravatar: true },
      users: { allow_sign_up: false },
      'auth.anonymous': { enabled: false },
      analytics: { reporting_enabled: false, check_for_updates: false },
    },
    service: { annotations: { ...args.grafanaServiceAnnotations } },
    resources: sizes.grafana,
    securityContext: podSecurityContext({ user: 472 }),
    containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
    extraEmptyDirMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    sidecar: {
      resources: sizes.grafanaSidecar,
      securityContext: CONTAINER_SECURITY_CONTEXT,
      dashboards: {
        enabled: true,
        label: 'grafana_dashboard',
        labelValue: '1',
        searchNamespace: 'ALL',
      },
      datasources: tracing
        ? { exemplarTraceIdDestinations: { datasourceUid: 'jaeger', traceIdLabelName: 'trace_id' } }
        : {},
    },
    additionalDataSources: tracing
      ? [{ name: 'Jaeger', uid: 'jaeger', type: 'jaeger', access: 'proxy', url: tracing }]
      : [],
  };
}
