import type { MockResourceArgs } from '@pulumi/pulumi/runtime/index.js';
import {
  PLACEHOLDER_ADDRESSES,
  PLACEHOLDER_CERTIFICATES,
  PLACEHOLDER_VALIDITY_START,
  placeholderSigningKey,
  secretPlaceholder,
} from './placeholders.js';

type Inputs = Record<string, unknown>;

/**
 * What the cloud would return for the outputs the program reads, by resource type. Anything not
 * listed echoes its inputs, which is enough for the rest.
 */
const FAKE_OUTPUTS: Record<string, (name: string, inputs: Inputs) => Inputs> = {
  'gcp:container/cluster:Cluster': (name, inputs) => {
    const endpoints = (inputs.controlPlaneEndpointsConfig ?? {}) as Inputs;
    return {
      endpoint: PLACEHOLDER_ADDRESSES.clusterEndpoint,
      masterAuth: {
        clusterCaCertificate: Buffer.from(`placeholder CA of ${name}`).toString('base64'),
      },
      // GKE reports a DNS endpoint for every cluster; the kubeconfig targets it.
      controlPlaneEndpointsConfig: {
        ...endpoints,
        dnsEndpointConfig: {
          ...(endpoints.dnsEndpointConfig as Inputs | undefined),
          endpoint: `gke-placeholder-${inputs.name ?? name}.${inputs.location ?? 'location'}.gke.goog`,
        },
      },
    };
  },
  'gcp:sql/databaseInstance:DatabaseInstance': (name, inputs) => ({
    name: inputs.name ?? name,
    privateIpAddress: inputs.masterInstanceName
      ? PLACEHOLDER_ADDRESSES.sqlReplicaPrivateIp
      : PLACEHOLDER_ADDRESSES.sqlPrivateIp,
    connectionName: `${inputs.project ?? 'project'}:${inputs.region ?? 'region'}:${inputs.name ?? name}`,
    // Cloud SQL's per-instance service agent (it writes exports to Cloud Storage): one per
    // instance, so a plan shows which instance's account holds a grant.
    serviceAccountEmailAddress: `p000000000000-${inputs.name ?? name}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
  }),
  'gcp:redis/instance:Instance': (name) => ({
    host: PLACEHOLDER_ADDRESSES.redisHost,
    port: 6378,
    authString: secretPlaceholder(`${name}-auth`),
    serverCaCerts: [{ cert: PLACEHOLDER_CERTIFICATES.redisServerCa }],
  }),
  'gcp:compute/globalAddress:GlobalAddress': (_name, inputs) => ({
    address: inputs.address ?? PLACEHOLDER_ADDRESSES.globalAddress,
  }),
  'random:index/randomPassword:RandomPassword': (name) => ({ result: secretPlaceholder(name) }),
  'tls:index/privateKey:PrivateKey': () => ({ privateKeyPemPkcs8: placeholderSigningKey() }),
  'tls:index/selfSignedCert:SelfSignedCert': () => ({
    certPem: PLACEHOLDER_CERTIFICATES.kafkaClusterCa,
    validityStartTime: PLACEHOLDER_VALIDITY_START,
  }),
  'gcp:serviceaccount/account:Account': (_name, inputs) => {
    const email = `${inputs.accountId}@${inputs.project ?? 'project'}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}` };
  },
  'gcp:secretmanager/secret:Secret': (name, inputs) => ({
    name: `projects/${inputs.project ?? 'project'}/secrets/${inputs.secretId ?? name}`,
  }),
  // Cloud Monitoring names a channel by a number it assigns; alert policies list these names.
  'gcp:monitoring/notificationChannel:NotificationChannel': (name, inputs) => ({
    name: `projects/${inputs.project ?? 'project'}/notificationChannels/${name}`,
  }),
  'pagerduty:index/serviceIntegration:ServiceIntegration': (name) => ({
    integrationKey: secretPlaceholder(name),
  }),
  'gcp:compute/network:Network': (name, inputs) => ({
    selfLink: `https://www.googleapis.com/compute/v1/projects/${inputs.project ?? 'project'}/global/networks/${inputs.name ?? name}`,
  }),
};

/** The mock `newResource` result: the inputs, the type's fake outputs, an id from the name. */
export function fakeResource({ type, name, inputs }: MockResourceArgs): {
  id: string;
  state: Inputs;
} {
  const state = { ...inputs, ...FAKE_OUTPUTS[type]?.(name, inputs as Inputs) };
  const id =
    typeof state.name === 'string' && type.startsWith('gcp:secretmanager')
      ? state.name
      : `${name}-id`;
  return { id, state };
}
