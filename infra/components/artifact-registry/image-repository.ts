/** Where an Artifact Registry image lives, read from its reference. */
export interface ArtifactRegistryImage {
  /** Region or multi-region of the repository, e.g. `us-central1`. */
  readonly location: string;
  readonly project: string;
  /** The repository's id, e.g. `aia`. */
  readonly repositoryId: string;
  /** The image inside the repository, e.g. `services`. */
  readonly image: string;
}

const ARTIFACT_REGISTRY_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const REPOSITORY_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads `<location>-docker.pkg.dev/<project>/<repository>/<image>`. Returns undefined for an
 * image hosted anywhere else (another registry is not the program's to create); throws, saying
 * what is wrong, for an Artifact Registry reference that lacks a part.
 */
export function parseArtifactRegistryImage(reference: string): ArtifactRegistryImage | undefined {
  const [host, project, repositoryId, ...rest] = reference.split('/');
  const match = ARTIFACT_REGISTRY_HOST.exec(host ?? '');
  if (!match) return undefined;
  const image = rest.join('/');
  if (!project || !repositoryId || !image) {
    throw new Error(
      `imageRepository "${reference}" is not <location>-docker.pkg.dev/<project>/<repository>/<image>, for example us-central1-docker.pkg.dev/my-project/aia/services`,
    );
  }
  if (!REPOSITORY_ID.test(repositoryId)) {
    throw new Error(
      `imageRepository "${reference}" names repository "${repositoryId}": Artifact Registry ids are lower-case letters, digits and hyphens, starting with a letter`,
    );
  }
  return { location: match[1] as string, project, repositoryId, image };
}
