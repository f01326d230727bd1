import { z } from 'zod';
import type { Grader } from './benchmark-set.js';

/** How one answer did: success, and a quality from 0 to 1 (1 exactly when it succeeded). */
export interface Grade {
  readonly success: boolean;
  readonly quality: number;
}

const graded = (quality: number): Grade => ({ success: quality === 1, quality });

/** The answer with a Markdown code fence around it removed, as models often send JSON. */
function unfenced(answer: string): string {
  const fenced = /^```[a-z]*\s*\n([\s\S]*?)\n?```$/i.exec(answer.trim());
  return (fenced?.[1] ?? answer).trim();
}

function jsonSchemaGrade(schema: Record<string, unknown>, answer: string): Grade {
  let value: unknown;
  try {
    value = JSON.parse(unfenced(answer));
  } catch {
    return graded(0);
  }
  // zod turns the JSON Schema into a validator; a schema it cannot read is the set's fault and
  // was caught when the set was checked (benchmark-sets.test.ts grades every set's tasks).
  return graded(
    z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema).safeParse(value).success ? 1 : 0,
  );
}

/**
 * Grades `answer` by `grader`, deterministically: `exact` is 1 or 0; `contains` is the share of
 * the required phrases present (success when all are); `json_schema` is 1 when the answer (a
 * code fence around it allowed) is JSON the schema accepts, else 0.
 */
export function grade(grader: Grader, answer: string): Grade {
  switch (grader.kind) {
    case 'exact': {
      const given = answer.trim();
      const expected = grader.expected.trim();
      return graded(
        (
          grader.case_sensitive
            ? given === expected
            : given.toLowerCase() === expected.toLowerCase()
        )
          ? 1
          : 0,
      );
    }
    case 'contains': {
      const lower = answer.toLowerCase();
      const found = grader.all.filter((phrase) => lower.includes(phrase.toLowerCase())).length;
      return graded(found / grader.all.length);
    }
    case 'json_schema':
      return jsonSchemaGrade(grader.schema, answer);
  }
}
