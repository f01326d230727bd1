/** Pod security context: a non-root user and group, the runtime's default seccomp profile. */
export const POD_SECURITY = (user: number, group: number) => ({
  runAsNonRoot: true,
  runAsUser: user,
  runAsGroup: group,
  fsGroup: group,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** Container security context: no privilege escalation or capabilities, read-only root filesystem. */
export const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
