import { canarySplit } from '../../../infra/components/service-deployment/canary-split.js';
import {
  type ServiceName,
  type StackName,
  serviceDefinition,
  serviceNames,
} from '../../../services/catalog.js';
import { columns } from '../text-columns.js';
import { shortDigest } from './digest.js';
import { type Colour, imageOf, otherColour, type ReleaseConfig } from './release-config.js';
import type { StackUpdate } from './release-stack.js';

/** One set of pods: a rolling service's, or one colour of a blue-green service. */
export interface WorkloadStatus {
  readonly service: ServiceName;
  readonly colour?: Colour;
  /** live: takes the stable Service's traffic; idle: its own Service only; canary: a share. */
  readonly role: 'rolling' | 'live' | 'idle' | 'canary';
  /** Its share of the service's traffic, in percent. */
  readonly trafficPercent: number;
  readonly image: string;
  /** The HPA's bounds (held equal during a canary). */
  readonly replicas: { readonly min: number; readonly max: number };
}

export interface ReleaseStatus {
  readonly stack: StackName;
  readonly namespace?: string;
  readonly imageTag: string;
  readonly liveColour: Colour;
  readonly canaryPercent?: number;
  readonly workloads: readonly WorkloadStatus[];
  readonly lastUpdates: readonly {
    readonly version: number;
    readonly startTime: string;
    readonly kind: string;
    readonly result: string;
    readonly message: string;
  }[];
}

/**
 * What runs where in a stack, from its config (images, live colour, canary), the catalog (replica
 * bounds per stack) and its history (the last `updates` updates, newest first).
 */
export function releaseStatus(input: {
  readonly stack: StackName;
  readonly config: ReleaseConfig;
  readonly history: readonly StackUpdate[];
  readonly namespace?: string;
  readonly updates?: number;
}): ReleaseStatus {
  const { stack, config } = input;
  const live = config.activeColor;
  const workloads = serviceNames.flatMap((service): WorkloadStatus[] => {
    const definition = serviceDefinition(service);
    const scaling = definition.scaling[stack];
    const bounds = { min: scaling.minReplicas, max: scaling.maxReplicas };
    if (definition.rollout !== 'blue-green') {
      return [
        { service, role: 'rolling', trafficPercent: 100, image: config.imageTag, replicas: bounds },
      ];
    }
    const split = config.canaryPercent ? canarySplit(config.canaryPercent, scaling) : undefined;
    return (['blue', 'green'] as const).map((colour) => {
      const isLive = colour === live;
      const fixed = split && (isLive ? split.stable : split.canary);
      return {
        service,
        colour,
        role: isLive ? 'live' : split ? 'canary' : 'idle',
        trafficPercent: split ? (isLive ? 100 - split.percent : split.percent) : isLive ? 100 : 0,
        image: imageOf(config, colour),
        replicas: fixed ? { min: fixed, max: fixed } : bounds,
      };
    });
  });
  return {
    stack,
    ...(input.namespace ? { namespace: input.namespace } : {}),
    imageTag: config.imageTag,
    liveColour: live,
    ...(config.canaryPercent ? { canaryPercent: config.canaryPercent } : {}),
    workloads,
    lastUpdates: [...input.history]
      .sort((a, b) => b.version - a.version)
      .slice(0, input.updates ?? 5)
      .map(({ version, startTime, kind, result, message }) => ({
        version,
        startTime: new Date(startTime).toISOString(),
        kind,
        result,
        message,
      })),
  };
}

/** The status as a person reads it: a headline, the workloads, the last updates. */
export function releaseStatusTable(status: ReleaseStatus): string {
  const idle = otherColour(status.liveColour);
  const idleImage = status.workloads.find((w) => w.colour === idle)?.image ?? '—';
  const headline = [
    `stack ${status.stack}${status.namespace ? ` (namespace ${status.namespace})` : ''}: imageTag ${shortDigest(status.imageTag)}`,
    `live colour ${status.liveColour}; idle ${idle} runs ${shortDigest(idleImage)}${
      status.canaryPercent ? `; CANARY: ${status.canaryPercent} % asked of ${idle}` : ''
    }`,
  ].join('\n');
  const workloads = columns([
    ['SERVICE', 'COLOUR', 'ROLE', 'TRAFFIC', 'IMAGE', 'REPLICAS'],
    ...status.workloads.map((w) => [
      w.service,
      w.colour ?? '—',
      w.role,
      `${w.trafficPercent} %`,
      shortDigest(w.image),
      w.replicas.min === w.replicas.max
        ? String(w.replicas.min)
        : `${w.replicas.min}–${w.replicas.max}`,
    ]),
  ]);
  const updates = status.lastUpdates.length
    ? columns([
        ['VERSION', 'STARTED', 'KIND', 'RESULT', 'MESSAGE'],
        ...status.lastUpdates.map((u) => [
          String(u.version),
          u.startTime.slice(0, 16).replace('T', ' '),
          u.kind,
          u.result,
          u.message,
        ]),
      ])
    : 'no updates in the history';
  return `${headline}\n\n${workloads}\n\n${updates}\n`;
}
