/** An image digest as the registry names it: `sha256:` and 64 lower-case hex digits. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** The digest given to `flag`, or an error naming the flag and what was expected. */
export function parseDigest(value: string | undefined, flag = '--digest'): string {
  if (value && DIGEST_PATTERN.test(value)) return value;
  throw new Error(
    `${flag}: expected sha256:<64 lower-case hex digits>, got "${value ?? ''}" (tags are not deployed: push the image and pass its digest)`,
  );
}

/** `sha256:0123456789ab` — enough to tell digests apart in a table or a message. */
export const shortDigest = (image: string) =>
  DIGEST_PATTERN.test(image) ? image.slice(0, 'sha256:'.length + 12) : image;
