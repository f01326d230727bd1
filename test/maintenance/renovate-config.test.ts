import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Manager {
  readonly customType?: string;
  readonly managerFilePatterns?: readonly string[];
  readonly fileMatch?: readonly string[];
}
interface PackageRule {
  readonly matchDatasources?: readonly string[];
  readonly matchUpdateTypes?: readonly string[];
  readonly pinDigests?: boolean;
  readonly groupName?: string;
}
const config = JSON.parse(read('renovate.json')) as {
  readonly enabledManagers?: readonly string[];
  readonly customManagers?: readonly Manager[];
  readonly packageRules: readonly PackageRule[];
};

/** A base image as Renovate's dockerfile manager extracts it (splitImageParts). */
interface BaseImage {
  readonly arg: string;
  readonly argLine: string;
  readonly depName: string;
  readonly currentValue: string;
  readonly currentDigest?: string;
}

/**
 * The base images of a Dockerfile as Renovate's built-in dockerfile manager finds them
 * (renovatebot/renovate lib/modules/manager/dockerfile/extract.ts, since 32.76.0): a `FROM`
 * naming `${ARG}` or `$ARG` resolves to the default of the `ARG` line before it, and that line is
 * what the update rewrites. A `FROM` it cannot resolve this way fails the test: Renovate would
 * skip it (`contains-variable`) and the image would never be pinned or updated.
 */
function baseImages(dockerfile: string): BaseImage[] {
  const lines = dockerfile.split('\n');
  const args = new Map<string, string>();
  const stages: string[] = [];
  const images: BaseImage[] = [];
  for (const line of lines) {
    const arg = /^[ \t]*ARG[ \t]+(?<name>\w+)[ =](?<value>\S*)/i.exec(line)?.groups;
    if (arg?.name) args.set(arg.name, line);
    const from =
      /^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(?<image>\S+)(?:[ \t]+as[ \t]+(?<stage>\S+))?/i.exec(
        line,
      )?.groups;
    if (!from?.image) continue;
    if (from.stage) stages.push(from.stage);
    if (stages.includes(from.image) && from.image !== from.stage) continue;
    const name = /^\$\{?(\w+)\}?$/.exec(from.image)?.[1];
    expect(name, `FROM ${from.image} should name an ARG whose default is the image`).toBeDefined();
    const argLine = args.get(name ?? '');
    expect(argLine, `ARG ${name}=<image> should come before FROM ${from.image}`).toBeDefined();
    const value = /=(\S+)/.exec(argLine ?? '')?.[1] ?? '';
    const [tagged = '', currentDigest] = value.split('@');
    const colon = tagged.lastIndexOf(':');
    images.push({
      arg: name ?? '',
      argLine: argLine ?? '',
      depName: tagged.slice(0, colon),
      currentValue: tagged.slice(colon + 1),
      ...(currentDigest ? { currentDigest } : {}),
    });
  }
  return images;
}

/** The `{{#if x}}…{{/if}}` and `{{x}}` of Renovate's Handlebars templates, enough for these. */
function render(template: string, values: Record<string, string | undefined>): string {
  return template
    .replace(/\{\{#if (\w+)\}\}(.*?)\{\{\/if\}\}/g, (_all, key: string, body: string) =>
      values[key] ? body : '',
    )
    .replace(/\{\{(\w+)\}\}/g, (_all, key: string) => values[key] ?? '');
}

/**
 * What Renovate writes over an ARG line for an update (getAutoReplaceTemplate of the dockerfile
 * manager, then doAutoReplace): the tag becomes the new tag, the digest the new digest, and an
 * unpinned line gains `@<digest>` when the update brings one (a pin).
 */
function rewrite(dockerfile: string, image: BaseImage, newValue: string, newDigest: string) {
  let template = image.argLine;
  if (image.currentDigest) {
    template = template
      .replace(image.currentValue, '{{#if newValue}}{{newValue}}{{/if}}')
      .replace(image.currentDigest, '{{#if newDigest}}{{newDigest}}{{/if}}');
  } else {
    template = template.replace(
      image.currentValue,
      '{{#if newValue}}{{newValue}}{{/if}}{{#if newDigest}}@{{newDigest}}{{/if}}',
    );
  }
  return dockerfile.replace(image.argLine, render(template, { newValue, newDigest }));
}

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;

describe('Renovate keeps the Dockerfile’s base images pinned and current', () => {
  const dockerfile = read('Dockerfile');
  const images = baseImages(dockerfile);

  it('reads them with its built-in dockerfile manager only', () => {
    // A custom regex manager over the same ARG lines extracts each image a second time. Without a
    // digest on the line it has no currentDigest, and Renovate's doAutoReplace then never writes
    // the new digest: the pin fails with WORKER_FILE_UPDATE_FAILED, and the group's branch with it.
    const dockerfileManagers = (config.customManagers ?? []).filter((manager) =>
      [...(manager.managerFilePatterns ?? []), ...(manager.fileMatch ?? [])].some((pattern) =>
        /Dockerfile/.test(pattern),
      ),
    );
    expect(dockerfileManagers).toEqual([]);
    if (config.enabledManagers) expect(config.enabledManagers).toContain('dockerfile');
    const rule = config.packageRules.find(
      (candidate) =>
        candidate.matchDatasources?.includes('docker') && !candidate.matchUpdateTypes?.length,
    );
    expect(rule).toMatchObject({ pinDigests: true, groupName: 'base images' });
  });

  it('finds both images through the ARG defaults FROM names', () => {
    expect(images.map(({ arg, depName }) => ({ arg, depName }))).toEqual([
      { arg: 'NODE_IMAGE', depName: 'node' },
      { arg: 'RUNTIME_IMAGE', depName: 'gcr.io/distroless/nodejs24-debian12' },
    ]);
    for (const image of images) expect(image.currentValue).toMatch(/^\w[\w.-]*$/);
  });

  it('pins each by digest, then moves the digest and the tag on the same line', () => {
    for (const image of images) {
      const pinned = rewrite(dockerfile, image, image.currentValue, digest('1'));
      const afterPin = baseImages(pinned).find((found) => found.arg === image.arg);
      expect(afterPin?.argLine).toBe(
        `ARG ${image.arg}=${image.depName}:${image.currentValue}@${digest('1')}`,
      );
      expect(afterPin).toMatchObject({
        depName: image.depName,
        currentValue: image.currentValue,
        currentDigest: digest('1'),
      });
      if (!afterPin) continue;
      const updated = rewrite(pinned, afterPin, `${image.currentValue}-next`, digest('2'));
      expect(baseImages(updated).find((found) => found.arg === image.arg)).toMatchObject({
        depName: image.depName,
        currentValue: `${image.currentValue}-next`,
        currentDigest: digest('2'),
      });
    }
  });
});
