export { ImageRepository, type ImageRepositoryArgs } from './artifact-registry.js';
export { type ArtifactRegistryImage, parseArtifactRegistryImage } from './image-repository.js';
