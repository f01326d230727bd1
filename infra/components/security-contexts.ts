/**
 * The hardened security contexts of every pod the program renders or configures (services and
 * their migration Jobs, Neo4j and its backup, Kafka, monitoring, tracing): what Kubernetes'
 * `restricted` Pod Security Standard requires, and a read-only root filesystem. The policy pack
 * (`policies/rules/kubernetes/security-context.ts`) checks the same fields on every pod template.
 */

/** The services' image user: distroless `nonroot`. */
export const SERVICE_UID = 65532;

/** The runtime's default seccomp profile, which the `restricted` standard requires. */
export const RUNTIME_DEFAULT_SECCOMP = { type: 'RuntimeDefault' } as const;

export interface PodIdentity {
  /** The image's non-root user. */
  readonly user: number;
  /** Its primary group. Default: the user's id. */
  readonly group?: number;
  /** Group owning mounted volumes. Default: the primary group. */
  readonly fsGroup?: number;
}

/** A pod's context: a non-root user and group, volumes owned by its group, seccomp RuntimeDefault. */
export function podSecurityContext({ user, group = user, fsGroup = group }: PodIdentity) {
  if (user === 0) throw new Error('a pod of the platform never runs as root (uid 0)');
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    fsGroup,
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
  };
}

/**
 * A container's context: non-root, no privilege escalation, every capability dropped, a
 * read-only root filesystem (mount an emptyDir where it must write), seccomp RuntimeDefault.
 */
export const CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: RUNTIME_DEFAULT_SECCOMP,
};

/**
 * The same for an image whose entrypoint writes under its root filesystem at start (Neo4j's
 * writes plugins and configuration under /var/lib/neo4j): only the root filesystem stays
 * writable. Use it only with a comment saying why.
 */
export const WRITABLE_ROOT_CONTAINER_SECURITY_CONTEXT = {
  ...CONTAINER_SECURITY_CONTEXT,
  readOnlyRootFilesystem: false,
};
