import { describe, expect, it } from 'vitest';
import { loadBenchmarkSets } from './benchmark-sets.js';
import arithmetic from './benchmarks/arithmetic/v1.json' with { type: 'json' };
import { grade } from './domain/graders.js';
import { rightAnswer } from './testing/scripted-runner.js';

describe('benchmark sets', () => {
  const sets = loadBenchmarkSets();

  it('load, one per skill, each versioned by its content hash', () => {
    expect([...sets.keys()].sort()).toEqual(['arithmetic', 'extraction']);
    for (const set of sets.values()) expect(set.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keep their version when only the description changes, and change it with a task', () => {
    const version = sets.get('arithmetic')?.version;
    const reworded = loadBenchmarkSets({
      'a.json': { ...arithmetic, description: 'Other words.' },
    });
    expect(reworded.get('arithmetic')?.version).toBe(version);
    const [first, ...rest] = arithmetic.tasks;
    const changed = loadBenchmarkSets({
      'a.json': {
        ...arithmetic,
        tasks: [{ ...first, input: `${first?.input} Quickly.` }, ...rest],
      },
    });
    expect(changed.get('arithmetic')?.version).not.toBe(version);
  });

  it('grade a right answer to every task as a success and a wrong one as a failure', () => {
    for (const set of sets.values())
      for (const task of set.tasks) {
        expect(grade(task.grader, rightAnswer(task)), task.id).toEqual({
          success: true,
          quality: 1,
        });
        expect(grade(task.grader, 'I do not know.').success, task.id).toBe(false);
      }
  });

  it('refuse a file that is not a valid set, naming it and the field', () => {
    expect(() => loadBenchmarkSets({ 'bad.json': { ...arithmetic, tasks: [] } })).toThrow(
      /benchmark set bad.json: tasks/,
    );
    const [first] = arithmetic.tasks;
    expect(() =>
      loadBenchmarkSets({ 'dup.json': { ...arithmetic, tasks: [first, first] } }),
    ).toThrow(/task ids must be unique/);
  });
});
