/**
 * Who may reach Grafana through the load balancer besides its own login, which alone is one
 * guessed or leaked password away from every dashboard: Identity-Aware Proxy (a Google identity
 * in `group`), or a Cloud Armor allowlist of source ranges, or both. At least one is required.
 */
export interface GrafanaAccess {
  readonly iap?: {
    /** Google group whose members get `roles/iap.httpsResourceAccessor` on Grafana's host. */
    readonly group: string;
    /**
     * Secret in Grafana's namespace with the OAuth client's `client_id` and `client_secret`, which
     * GKE's Ingress controller hands to IAP. Created once by an operator (README, Grafana access),
     * so the client secret never passes through Pulumi's state. Default
     * {@link GRAFANA_OAUTH_SECRET}.
     */
    readonly oauthClientSecretName?: string;
  };
  /** CIDR ranges Cloud Armor lets through to Grafana; everyone else gets 403. */
  readonly allowedSources?: readonly string[];
}

/** The role IAP checks before it forwards a request to a protected backend. */
export const IAP_ACCESSOR_ROLE = 'roles/iap.httpsResourceAccessor';

/** Default name of the Secret holding IAP's OAuth client, in Grafana's namespace. */
export const GRAFANA_OAUTH_SECRET = 'grafana-iap-oauth-client';

/** Throws, saying what to set, when `access` leaves Grafana behind its password alone. */
export function checkGrafanaAccess(access: GrafanaAccess): void {
  if (!access.iap && !access.allowedSources?.length) {
    throw new Error(
      'Grafana would be public behind its password alone: set grafanaAccess.iap.group (Identity-Aware Proxy) or grafanaAccess.allowedSources (Cloud Armor allowlist).',
    );
  }
}

/**
 * The IAM condition limiting a project-level IAP grant to one host: IAP grants on the project
 * cover every IAP-protected backend in it, and GKE names backend services itself, so the host
 * is the stable handle.
 */
export const iapHostCondition = (host: string) => ({
  title: 'grafana-host-only',
  description: `IAP access to ${host} only`,
  expression: `request.host == "${host}"`,
});
