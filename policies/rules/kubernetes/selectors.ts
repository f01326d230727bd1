import type * as k8s from '@pulumi/kubernetes';
import type { Unwrap } from '@pulumi/pulumi';

export type LabelSelector = Unwrap<k8s.types.input.meta.v1.LabelSelector>;

/**
 * Kubernetes label-selector semantics: every matchLabels pair and every matchExpressions
 * requirement must hold; an empty selector matches every pod, a missing one matches none.
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}

/** True for `{}`: no labels, no expressions. */
export const selectsEverything = (selector: LabelSelector | undefined): boolean =>
  selector !== undefined &&
  Object.keys(selector.matchLabels ?? {}).length === 0 &&
  (selector.matchExpressions ?? []).length === 0;

/** `app=api,tier=web`, for messages. */
export const labelsText = (labels: Readonly<Record<string, string>>): string =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',') || 'no labels';
