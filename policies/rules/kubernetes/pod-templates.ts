import type * as k8s from '@pulumi/kubernetes';
import type { ResourceValidation } from '@pulumi/policy';
import type { Unwrap } from '@pulumi/pulumi';
import { describe, kindOf, type Metadata } from './objects.js';

export type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
export type Container = Unwrap<k8s.types.input.core.v1.Container>;

/** Where each workload kind keeps its pod template; a Pod is its own template. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  'kubernetes:apps/v1:Deployment': ['spec', 'template'],
  'kubernetes:apps/v1:StatefulSet': ['spec', 'template'],
  'kubernetes:apps/v1:DaemonSet': ['spec', 'template'],
  'kubernetes:apps/v1:ReplicaSet': ['spec', 'template'],
  'kubernetes:batch/v1:Job': ['spec', 'template'],
  'kubernetes:batch/v1:CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  'kubernetes:core/v1:Pod': [],
};

/** The pod template of one workload, with what messages need to name it. */
export interface PodTemplate {
  /** `Deployment apps/economic-governor` */
  readonly object: string;
  /** Path of the pod spec inside the object, for messages: `spec.template.spec`. */
  readonly specPath: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  /** Job and CronJob pods, and bare Pods that do not restart, run to completion: no probes. */
  readonly runsToCompletion: boolean;
}

interface TemplateLike {
  readonly metadata?: Metadata;
  readonly spec?: PodSpec;
}

/** The pod template of a workload of `type`, or `undefined` when `type` has none. */
export function podTemplateOf(
  type: string,
  props: Record<string, unknown>,
  resourceName: string,
): PodTemplate | undefined {
  const path = TEMPLATE_PATHS[type];
  if (!path) return undefined;
  let node: unknown = props;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  const template = (node ?? {}) as TemplateLike;
  const spec: PodSpec = template.spec ?? { containers: [] };
  const kind = kindOf(type);
  return {
    object: describe(kind, props.metadata as Metadata | undefined, resourceName),
    specPath: [...path, 'spec'].join('.'),
    labels: template.metadata?.labels ?? {},
    spec,
    runsToCompletion:
      kind === 'Job' ||
      kind === 'CronJob' ||
      (kind === 'Pod' && (spec.restartPolicy ?? 'Always') !== 'Always'),
  };
}

/** A container of a pod spec and how messages name it: `container 'app'`. */
export interface NamedContainer {
  readonly container: Container;
  readonly label: string;
  readonly init: boolean;
}

/** Init containers first, as the kubelet runs them. */
export function containersOf(spec: PodSpec): NamedContainer[] {
  const named = (init: boolean) => (container: Container) => ({
    container,
    label: `${init ? 'init container' : 'container'} '${container.name}'`,
    init,
  });
  return [
    ...(spec.initContainers ?? []).map(named(true)),
    ...(spec.containers ?? []).map(named(false)),
  ];
}

/**
 * A resource validation over every workload kind that carries a pod template; `check` reports
 * findings without the object's name, which is prefixed here (`Deployment apps/x: …`).
 */
export function validatePodTemplates(
  check: (template: PodTemplate, report: (finding: string) => void) => void,
): ResourceValidation {
  return (args, reportViolation) => {
    const template = podTemplateOf(args.type, args.props, args.name);
    if (!template) return args.notApplicable('not a workload with a pod template');
    check(template, (finding) => reportViolation(`${template.object}: ${finding}`));
  };
}
