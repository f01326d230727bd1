import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { configuredPagerDutyEmails } from './pagerduty-directory.js';
import { createRecorder, type RecordedResource } from './recorder.js';
import { resolveOutputs } from './resolve-outputs.js';
import { readStackConfig } from './stack-file.js';

export interface Plan {
  readonly project: string;
  readonly stack: string;
  /** Every resource the program registered, in order, inputs as the engine would get them. */
  readonly resources: RecordedResource[];
  /** Stack outputs, secret ones as `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

export interface PlanOptions {
  /** Folder with Pulumi.yaml and the stack files. */
  readonly root: string;
  readonly stack: string;
  /** Default: `Pulumi.<stack>.yaml` in `root`. */
  readonly stackFile?: string;
  /** Default: the `main` of Pulumi.yaml. */
  readonly program?: string;
  /**
   * Emails PagerDuty's user lookup finds. Default: every email the stack's configuration names;
   * others fail the lookup as they would against PagerDuty.
   */
  readonly pagerdutyUsers?: readonly string[];
}

/**
 * Runs the real Pulumi program offline under mocks with the stack's configuration and records
 * what it would create. One stack per process: Pulumi's runtime state is global.
 */
export async function runPlan({
  root,
  stack,
  stackFile,
  program,
  pagerdutyUsers,
}: PlanOptions): Promise<Plan> {
  const projectFile = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as {
    name: string;
    main?: string;
  };
  const { config, secretKeys } = readStackConfig(root, stack, stackFile);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const recorder = createRecorder(projectFile.name, stack, {
    pagerdutyUsers: pagerdutyUsers ?? configuredPagerDutyEmails(config),
  });
  await pulumi.runtime.setMocks(recorder.mocks, projectFile.name, stack, false);

  const entry = program ?? join(root, projectFile.main ?? 'index.ts');
  let exports: Record<string, unknown> = {};
  let failure: unknown;
  // As the language host does: the program runs inside the root Stack resource. A failing program
  // is reported here, not through the stack's own promises (which would surface it twice).
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.transformation);
    try {
      exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch (error) {
      failure = error;
    }
    return exports;
  });
  if (failure) throw failure;
  // Resources created inside `apply` callbacks register late: drain every pending registration.
  await pulumi.runtime.disconnect();
  const outputs = (await resolveOutputs({ ...exports })) as Record<string, unknown>;
  return { project: projectFile.name, stack, resources: recorder.resources(), outputs };
}
