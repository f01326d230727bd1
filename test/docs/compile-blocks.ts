import { join } from 'node:path';
import ts from 'typescript';
import type { FencedBlock } from './markdown.js';
import { root } from './markdown.js';

/**
 * Type-checks `ts check` blocks with the repository's compiler options, each as if it were a file
 * at the repository root (so `./services/...` imports resolve), without writing any file.
 * Returns one line per problem, naming the page and the line in it.
 */
export function typeCheckBlocks(blocks: readonly FencedBlock[]): string[] {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const virtual = new Map(
    blocks.map((block, index) => [join(root, `docs-example-${index}.ts`), block] as const),
  );
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file)?.body ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const block = virtual.get(file);
    return block
      ? ts.createSourceFile(file, block.body, language)
      : getSourceFile.call(host, file, language, ...rest);
  };
  const program = ts.createProgram([...virtual.keys()], { ...options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && virtual.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const file = diagnostic.file as ts.SourceFile;
      const block = virtual.get(file.fileName) as FencedBlock;
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      return `${block.file}:${block.line + 1 + line}: ${message}`;
    });
}
