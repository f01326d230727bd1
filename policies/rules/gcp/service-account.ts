/**
 * True when GKE nodes would run as the Compute Engine default service account (broad Editor
 * rights on the project): `serviceAccount` unset, `default`, or `<number>-compute@developer…`.
 */
export const isDefaultComputeServiceAccount = (serviceAccount: string | undefined): boolean =>
  !serviceAccount ||
  serviceAccount === 'default' ||
  serviceAccount.endsWith('-compute@developer.gserviceaccount.com');
