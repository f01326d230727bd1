import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ArtifactRegistryImage } from './image-repository.js';

export interface ImageRepositoryArgs {
  /** Where the services' image lives (`parseArtifactRegistryImage(imageRepository)`). */
  readonly image: ArtifactRegistryImage;
  /** Keep the repository, and the images running workloads pull, when the stack is destroyed. */
  readonly deletionProtection: boolean;
  readonly labels: Record<string, string>;
}

/**
 * The Docker repository in Artifact Registry the services' image is pushed to and the nodes pull
 * from (their service account reads Artifact Registry). Tags are immutable, as the stack's
 * `imageTag` is: a pushed version can never change under a running Deployment. Every pushed image
 * is scanned by Artifact Analysis (the project's setting, `containerscanning.googleapis.com`).
 */
export class ImageRepository extends pulumi.ComponentResource {
  /** `<location>-docker.pkg.dev/<project>/<repository>`. */
  readonly url: pulumi.Output<string>;
  readonly repositoryId: pulumi.Output<string>;

  constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ImageRepository', name, {}, opts);
    const { location, project, repositoryId } = args.image;
    const repository = new gcp.artifactregistry.Repository(
      `${name}-images`,
      {
        project,
        location,
        repositoryId,
        format: 'DOCKER',
        mode: 'STANDARD_REPOSITORY',
        description: 'AIA Platform service images',
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
        labels: { ...args.labels },
      },
      { parent: this, retainOnDelete: args.deletionProtection },
    );
    this.repositoryId = repository.repositoryId;
    this.url = pulumi.interpolate`${location}-docker.pkg.dev/${project}/${repository.repositoryId}`;
    this.registerOutputs({ url: this.url, repositoryId: this.repositoryId });
  }
}
