import { z } from 'zod';

/**
 * `autoscaling.k8s.io/v1` VerticalPodAutoscaler, as the upstream CRD
 * (kubernetes/autoscaler, vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml) constrains the fields
 * the platform writes. No `@kubernetes-models` package carries it; GKE installs the CRD when the
 * cluster has vertical pod autoscaling enabled.
 */
const quantities = z.record(z.enum(['cpu', 'memory']), z.union([z.string(), z.number()]));
const containerPolicy = z.strictObject({
  containerName: z.string().optional(),
  mode: z.enum(['Auto', 'Off']).optional(),
  minAllowed: quantities.optional(),
  maxAllowed: quantities.optional(),
  controlledResources: z.array(z.enum(['cpu', 'memory'])).optional(),
  controlledValues: z.enum(['RequestsAndLimits', 'RequestsOnly']).optional(),
});
const schema = z.object({
  apiVersion: z.literal('autoscaling.k8s.io/v1'),
  kind: z.literal('VerticalPodAutoscaler'),
  metadata: z.object({ name: z.string().min(1) }).passthrough(),
  spec: z.strictObject({
    targetRef: z.strictObject({
      apiVersion: z.string().optional(),
      kind: z.string().min(1),
      name: z.string().min(1),
    }),
    updatePolicy: z
      .strictObject({
        updateMode: z.enum(['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto']).optional(),
        minReplicas: z.number().int().min(1).optional(),
      })
      .optional(),
    resourcePolicy: z.strictObject({ containerPolicies: z.array(containerPolicy) }).optional(),
    recommenders: z.array(z.strictObject({ name: z.string() })).optional(),
  }),
});

/** The model `checkKubernetesSchema` instantiates, like a `kubernetes-models` class. */
export class VerticalPodAutoscaler {
  constructor(private readonly data: unknown) {}

  validate(): void {
    const result = schema.safeParse(this.data);
    if (!result.success) {
      throw new Error(
        result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      );
    }
  }
}
