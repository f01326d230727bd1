import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import {
  ImageRepository,
  parseArtifactRegistryImage,
} from '../components/artifact-registry/index.js';
import {
  BinaryAuthorizationPolicy,
  chartImages,
  imageRepositoryOf,
} from '../components/binary-authorization/index.js';
import { GkeCluster } from '../components/cluster/index.js';
import { STRIMZI_CHART } from '../components/kafka/index.js';
import { ClusterSecretsKey } from '../components/kms/index.js';
import { KUBE_PROMETHEUS_STACK } from '../components/monitoring/index.js';
import { CLOUD_SDK_IMAGE, NEO4J_CHART, NEO4J_IMAGE } from '../components/neo4j/index.js';
import { Network } from '../components/network/index.js';
import {
  OPTIONAL_APIS,
  ProjectServices,
  REQUIRED_APIS,
} from '../components/project-services/index.js';
import { ReleaseSigning } from '../components/release-signing/index.js';
import { JAEGER, OTEL_COLLECTOR } from '../components/tracing/index.js';
import { gkeRecurringWindow } from '../maintenance/window.js';
import type { StackContext } from './context.js';

/**
 * The project's foundation: the Google APIs, the image repository, the release pipeline's signing,
 * the Binary Authorization policy, the network, the secrets-encryption key and the GKE cluster.
 */
export function foundation({ config, prefix, labels }: StackContext) {
  /** Every component waits for the Google APIs it calls. */
  const apis = new ProjectServices(prefix, {
    project: config.project,
    apis: { ...REQUIRED_APIS, ...(config.dnsZone ? { dns: OPTIONAL_APIS.dns } : {}) },
  });
  const afterApis = { dependsOn: [apis] };

  // The repository the services' image is pushed to, when it is Artifact Registry in this project
  // (a registry elsewhere is its owner's to create). It waits for its own API only, so the first
  // deploy can create it alone and push the image before the rest (README, First deploy).
  const image = parseArtifactRegistryImage(config.imageRepository);
  const imageRepository =
    image?.project === config.project
      ? new ImageRepository(
          prefix,
          { image, deletionProtection: config.cluster.deletionProtection, labels },
          { dependsOn: [apis.byApi[REQUIRED_APIS.artifactregistry] as pulumi.Resource] },
        )
      : undefined;

  // The release pipeline's account, attestor and signing key (docs/release.md).
  const release = new ReleaseSigning(
    `${prefix}-release`,
    {
      project: config.project,
      region: config.region,
      prefix,
      ...(image && imageRepository
        ? {
            imageRepository: {
              location: image.location,
              repositoryId: imageRepository.repositoryId,
            },
          }
        : {}),
      labels,
    },
    afterApis,
  );

  // The project's Binary Authorization policy: a cluster that enforces it admits our images with
  // the release attestor's attestation and the pinned charts' images only (a project without a
  // policy admits anything).
  new BinaryAuthorizationPolicy(
    `${prefix}-binauthz`,
    {
      project: config.project,
      ownRepository: image
        ? `${image.location}-docker.pkg.dev/${image.project}/${image.repositoryId}`
        : imageRepositoryOf(config.imageRepository),
      thirdPartyRepositories: [
        ...chartImages([KUBE_PROMETHEUS_STACK, STRIMZI_CHART, OTEL_COLLECTOR, JAEGER, NEO4J_CHART]),
        // Images the program runs itself, outside any chart.
        NEO4J_IMAGE,
        CLOUD_SDK_IMAGE,
      ],
      requiredAttestor: release.attestor,
    },
    afterApis,
  );

  const vpc = new Network(
    prefix,
    {
      project: config.project,
      region: config.region,
      subnetCidr: config.network.subnetCidr,
      podsCidr: config.network.podsCidr,
      servicesCidr: config.network.servicesCidr,
      masterCidr: config.network.masterCidr,
      privateServicesCidr: config.network.privateServicesCidr,
      labels,
    },
    afterApis,
  );

  // Kubernetes Secrets are encrypted in etcd with this Cloud KMS key (application-layer secrets
  // encryption); the cluster waits for GKE's service agent to be granted on it.
  const secretsKey = new ClusterSecretsKey(
    `${prefix}-secrets-key`,
    {
      project: config.project,
      region: config.region,
      prefix,
      projectNumber: gcp.organizations.getProjectOutput({ projectId: config.project }).number,
      labels,
    },
    afterApis,
  );

  const gke = new GkeCluster(
    prefix,
    {
      project: config.project,
      region: config.region,
      zones: config.zones,
      regional: config.cluster.regional,
      network: vpc.networkId,
      subnetwork: vpc.subnetwork.id,
      podsRangeName: vpc.podsRangeName,
      servicesRangeName: vpc.servicesRangeName,
      masterCidr: config.network.masterCidr,
      masterAuthorizedNetworks: config.network.masterAuthorizedNetworks,
      releaseChannel: config.cluster.releaseChannel,
      binaryAuthorization: config.cluster.binaryAuthorization,
      secretsEncryptionKey: secretsKey.keyName,
      deletionProtection: config.cluster.deletionProtection,
      nodePools: config.cluster.nodePools,
      maintenanceWindow: gkeRecurringWindow(config.maintenance),
      nodeTag: vpc.nodeTag,
      labels,
    },
    afterApis,
  );

  return { apis, afterApis, image, imageRepository, release, vpc, gke };
}
