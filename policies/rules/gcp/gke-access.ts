import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { isAnywhere, isDocumentationRange, isPrivateRange } from './cidr.js';

export const gkePrivateNodes: ResourceValidationPolicy = {
  name: 'gcp-gke-private-nodes',
  description: 'GKE cluster nodes have internal IP addresses only.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    if (cluster.privateClusterConfig?.enablePrivateNodes !== true) {
      report(
        `GKE cluster '${cluster.name ?? args.name}' gives its nodes public IP addresses: set privateClusterConfig.enablePrivateNodes to true (with a masterIpv4CidrBlock) and reach the internet through Cloud NAT.`,
      );
    }
  }),
};

export const gkeMasterAuthorizedNetworks: ResourceValidationPolicy = {
  name: 'gcp-gke-master-authorized-networks',
  description: 'The GKE control plane is reachable only from listed networks, never from anywhere.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const name = cluster.name ?? args.name;
    const authorized = cluster.masterAuthorizedNetworksConfig;
    if (!authorized) {
      report(
        `GKE cluster '${name}' has no master authorized networks, so any address can reach its control plane: set masterAuthorizedNetworksConfig.cidrBlocks to the networks that administer it.`,
      );
      return;
    }
    for (const block of authorized.cidrBlocks ?? []) {
      if (isAnywhere(block.cidrBlock)) {
        report(
          `GKE cluster '${name}' authorizes ${block.cidrBlock} to reach its control plane: remove it from masterAuthorizedNetworksConfig.cidrBlocks and list only the networks that administer the cluster.`,
        );
      }
    }
    const privateEndpoint = cluster.privateClusterConfig?.enablePrivateEndpoint === true;
    for (const block of authorized.cidrBlocks ?? []) {
      if (isDocumentationRange(block.cidrBlock)) {
        report(
          `GKE cluster '${name}' authorizes ${block.cidrBlock}, a documentation range (RFC 5737) no real client uses: remove it from masterAuthorizedNetworksConfig.cidrBlocks and reach the control plane through its DNS endpoint with IAM.`,
        );
      } else if (
        privateEndpoint &&
        !isPrivateRange(block.cidrBlock) &&
        !isAnywhere(block.cidrBlock)
      ) {
        report(
          `GKE cluster '${name}' authorizes the public range ${block.cidrBlock} on a private IP endpoint: remove it from masterAuthorizedNetworksConfig.cidrBlocks; clients outside the VPC use the DNS endpoint with IAM.`,
        );
      }
    }
    if (authorized.gcpPublicCidrsAccessEnabled === true) {
      report(
        `GKE cluster '${name}' lets every Google Cloud public IP reach its control plane: set masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled to false.`,
      );
    }
  }),
};

export const gkeDnsEndpointAccess: ResourceValidationPolicy = {
  name: 'gcp-gke-dns-endpoint-access',
  description:
    'The GKE control plane has no public IP endpoint; from outside the VPC it is reached through its DNS endpoint, authorised by IAM.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const name = cluster.name ?? args.name;
    const endpoints = cluster.controlPlaneEndpointsConfig;
    const dns = endpoints?.dnsEndpointConfig;
    const ipEndpointOpen = endpoints?.ipEndpointsConfig?.enabled !== false;
    if (ipEndpointOpen && cluster.privateClusterConfig?.enablePrivateEndpoint !== true) {
      report(
        `GKE cluster '${name}' serves the Kubernetes API on a public IP address: set privateClusterConfig.enablePrivateEndpoint to true and reach the control plane through its DNS endpoint with IAM.`,
      );
    }
    if (dns?.allowExternalTraffic !== true) {
      report(
        `GKE cluster '${name}' cannot be reached by a deployer outside its VPC: set controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic to true (callers need the IAM permission container.clusters.connect).`,
      );
    }
    if (dns?.enableK8sTokensViaDns === true || dns?.enableK8sCertsViaDns === true) {
      report(
        `GKE cluster '${name}' accepts Kubernetes tokens or client certificates on its DNS endpoint, which IAM does not check: set controlPlaneEndpointsConfig.dnsEndpointConfig.enableK8sTokensViaDns and enableK8sCertsViaDns to false.`,
      );
    }
  }),
};

export const gkeNoLegacyAbac: ResourceValidationPolicy = {
  name: 'gcp-gke-no-legacy-abac',
  description: 'GKE clusters authorize with RBAC, not legacy ABAC.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    if (cluster.enableLegacyAbac === true) {
      report(
        `GKE cluster '${cluster.name ?? args.name}' has legacy ABAC on: set enableLegacyAbac to false and grant access with RBAC.`,
      );
    }
  }),
};

export const gkeNoClientCertificate: ResourceValidationPolicy = {
  name: 'gcp-gke-no-client-certificate',
  description: 'GKE clusters issue no static client certificate; users authenticate with IAM.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    if (cluster.masterAuth?.clientCertificateConfig?.issueClientCertificate === true) {
      report(
        `GKE cluster '${cluster.name ?? args.name}' issues a client certificate that cannot be revoked: set masterAuth.clientCertificateConfig.issueClientCertificate to false and authenticate with IAM.`,
      );
    }
  }),
};

export const gkeAccessPolicies: ResourceValidationPolicy[] = [
  gkePrivateNodes,
  gkeMasterAuthorizedNetworks,
  gkeDnsEndpointAccess,
  gkeNoLegacyAbac,
  gkeNoClientCertificate,
];
