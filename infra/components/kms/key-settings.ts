/** Seconds in a day, for KMS durations. */
const DAY = 86_400;

/**
 * Rotation of the key that encrypts the cluster's Secrets in etcd: every 90 days, the longest
 * period CIS GKE and most reviewers accept. Old versions stay enabled, so Secrets written before
 * a rotation still decrypt; GKE re-encrypts with the primary version as Secrets are written.
 */
export const ROTATION_PERIOD = `${90 * DAY}s`;

/** The role GKE's service agent needs on the key to wrap and unwrap the Secrets' data keys. */
export const ENCRYPTER_DECRYPTER_ROLE = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/** GKE's service agent, which calls Cloud KMS for application-layer secrets encryption. */
export const gkeServiceAgent = (projectNumber: string) =>
  `serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`;

/** Key ring of the cluster's keys; in the cluster's region, as GKE requires. */
export const keyRingName = (prefix: string) => `${prefix}-gke`;
