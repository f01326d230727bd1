import type { ConfigMap } from '@pulumi/pulumi/automation/index.js';

export type Colour = 'blue' | 'green';

/** The project's config namespace: every key below is `aia-platform:<path>`. */
export const PROJECT = 'aia-platform';

/** The stack configuration a release reads and changes (`infra/config-schema.ts`). */
export interface ReleaseConfig {
  /** What the rolling services run (`imageTag`): a tag or `sha256:<digest>`. */
  readonly imageTag: string;
  /** The colour the blue-green services' stable Service routes to (`services.activeColor`). */
  readonly activeColor: Colour;
  /** Per colour, when set (`services.colorImageTags`); unset, a colour runs imageTag. */
  readonly colorImageTags: Readonly<Partial<Record<Colour, string>>>;
  /** A canary in progress (`services.canary.percent`): the idle colour's share of traffic. */
  readonly canaryPercent?: number;
  /** `services.featureFlags` as set for the stack. */
  readonly featureFlags: Readonly<Record<string, boolean>>;
}

/** One config change: a path under the project (`services.activeColor`) and its new value. */
export type ConfigChange =
  | { readonly path: string; readonly value: string | number | boolean }
  | { readonly path: string; readonly remove: true };

export const otherColour = (colour: Colour): Colour => (colour === 'blue' ? 'green' : 'blue');

/** What a colour runs: its own tag, else imageTag. */
export const imageOf = (config: ReleaseConfig, colour: Colour): string =>
  config.colorImageTags[colour] ?? config.imageTag;

/**
 * The images the blue-green services' users reach: the live colour's, and the idle colour's while
 * a canary gives it a share of the traffic.
 */
export const blueGreenServing = (config: ReleaseConfig): Set<string> =>
  new Set([
    imageOf(config, config.activeColor),
    ...(config.canaryPercent ? [imageOf(config, otherColour(config.activeColor))] : []),
  ]);

/**
 * Reads the release's keys from a Pulumi config map, as `getAllConfig()` and each update of
 * `history()` give it: an object key (`aia-platform:services`) holds JSON, but a path may also
 * appear flattened (`aia-platform:services.activeColor`); both are read.
 */
export function releaseConfigOf(config: ConfigMap): ReleaseConfig {
  const read = (path: string): unknown => {
    const flat = config[`${PROJECT}:${path}`];
    if (flat !== undefined) return parsed(flat.value);
    const [top, ...rest] = path.split('.');
    let value = parsed(config[`${PROJECT}:${top}`]?.value);
    for (const part of rest) {
      value =
        value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value;
  };
  const text = (path: string) => {
    const value = read(path);
    return typeof value === 'string' && value ? value : undefined;
  };
  const imageTag = text('imageTag');
  if (!imageTag) throw new Error(`the stack has no ${PROJECT}:imageTag`);
  const percent = Number(read('services.canary.percent'));
  const flags = read('services.featureFlags');
  return {
    imageTag,
    activeColor: text('services.activeColor') === 'green' ? 'green' : 'blue',
    colorImageTags: Object.fromEntries(
      (['blue', 'green'] as const).flatMap((colour) => {
        const tag = text(`services.colorImageTags.${colour}`);
        return tag ? [[colour, tag]] : [];
      }),
    ),
    ...(percent > 0 ? { canaryPercent: percent } : {}),
    featureFlags: Object.fromEntries(
      Object.entries(flags && typeof flags === 'object' ? flags : {}).flatMap(([flag, value]) =>
        typeof value === 'boolean' || value === 'true' || value === 'false'
          ? [[flag, value === true || value === 'true']]
          : [],
      ),
    ),
  };
}

/** A config value: JSON when it parses as an object, array, number or boolean; else the text. */
function parsed(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
