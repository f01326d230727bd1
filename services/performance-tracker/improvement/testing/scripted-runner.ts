import type { BenchmarkTask } from '../domain/benchmark-set.js';
import type { AgentUnderTest } from '../domain/variant.js';
import type {
  BenchmarkRun,
  BenchmarkRunner,
  BenchmarkRunRequest,
} from '../runners/benchmark-runner.js';

/** The right answer to a task as its grader wants it (exact: the expected text; else all phrases, or a JSON contact). */
export function rightAnswer(task: BenchmarkTask): string {
  switch (task.grader.kind) {
    case 'exact':
      return task.grader.expected;
    case 'contains':
      return task.grader.all.join(' at ');
    case 'json_schema':
      return JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.org' });
  }
}

/** Which tasks an agent gets right: a set of task ids, or a rule. */
export type Skill = ReadonlySet<string> | ((task: BenchmarkTask) => boolean);

/**
 * A deterministic runner for tests: each agent answers right exactly the tasks its `skill` says
 * (a wrong answer otherwise), at cost 0.25 AIA; `failWith` makes every run throw (an unreachable
 * orchestrator). `runs` lists every run made, by run key.
 */
export function scriptedRunner(skills: Readonly<Record<string, Skill>>) {
  const runs: BenchmarkRunRequest[] = [];
  let failure: Error | undefined;
  const knows = (agent: AgentUnderTest, task: BenchmarkTask) => {
    const key = agent.settings ? `${agent.agentId}+settings` : agent.agentId;
    const skill = skills[key];
    if (!skill) throw new Error(`the scripted runner does not know agent ${key}`);
    return typeof skill === 'function' ? skill(task) : skill.has(task.id);
  };
  const runner: BenchmarkRunner = {
    async run(request): Promise<BenchmarkRun> {
      runs.push(request);
      if (failure) throw failure;
      return knows(request.agent, request.task)
        ? { answer: rightAnswer(request.task), costAia: '0.25' }
        : { answer: 'I do not know.', costAia: '0.25' };
    },
  };
  return {
    runner,
    runs,
    failWith(error: Error | undefined) {
      failure = error;
    },
  };
}
