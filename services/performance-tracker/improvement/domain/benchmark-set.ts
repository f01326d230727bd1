import { createHash } from 'node:crypto';
import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

/**
 * How an answer is judged, deterministically: `exact` (the whole answer, trimmed, equals
 * `expected`; case-insensitive unless `case_sensitive`), `contains` (every one of `all` appears
 * in it, case-insensitively; quality is the share that does), `json_schema` (the answer is JSON
 * that `schema` accepts).
 */
export const GraderSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('exact'),
    expected: text(10_000),
    case_sensitive: z.boolean().default(false),
  }),
  z.strictObject({ kind: z.literal('contains'), all: z.array(text(1_000)).min(1).max(50) }),
  z.strictObject({ kind: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }),
]);
export type Grader = z.infer<typeof GraderSchema>;

export const BenchmarkTaskSchema = z.strictObject({
  /** Stable within its set: results are keyed by it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a short kebab-case id'),
  /** The message sent to the agent. */
  input: text(20_000),
  grader: GraderSchema,
});
export type BenchmarkTask = z.infer<typeof BenchmarkTaskSchema>;

/** A benchmark set as its file holds it (services/performance-tracker/improvement/benchmarks). */
export const BenchmarkSetFileSchema = z
  .strictObject({
    skill: z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,199}$/, 'must be a skill key: lower-case'),
    /** The file's label (v1, v2, ...); the content hash is what identifies the tasks. */
    label: z.string().regex(/^v[0-9]+$/),
    description: text(2_000),
    tasks: z.array(BenchmarkTaskSchema).min(1).max(500),
  })
  .refine((set) => new Set(set.tasks.map((task) => task.id)).size === set.tasks.length, {
    message: 'task ids must be unique',
    path: ['tasks'],
  });

/** A loaded benchmark set with its version: the content hash of its tasks. */
export interface BenchmarkSet {
  readonly skill: string;
  readonly label: string;
  readonly description: string;
  readonly tasks: readonly BenchmarkTask[];
  /** `sha256:` and the hex digest of the canonical JSON of skill and tasks. */
  readonly version: string;
}

/** JSON with object keys sorted at every level: the same content gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      )
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * Checks a set file's content and versions it by content: the hash covers the skill and the
 * tasks (inputs and graders, defaults applied), not the label or description, so any change
 * to what is run or how it is judged is a new version, and rewording the description is not.
 * Throws naming the file and the first problems.
 */
export function benchmarkSetOf(name: string, content: unknown): BenchmarkSet {
  const parsed = BenchmarkSetFileSchema.safeParse(content);
  if (!parsed.success)
    throw new Error(
      `benchmark set ${name}: ${parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
        .join('; ')}`,
    );
  const { skill, label, description, tasks } = parsed.data;
  const digest = createHash('sha256').update(canonicalJson({ skill, tasks })).digest('hex');
  return { skill, label, description, tasks, version: `sha256:${digest}` };
}
