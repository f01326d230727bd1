/**
 * The last `keepLines` lines a child process wrote, for error messages. Feed it every chunk of
 * its piped stdout and stderr: a pipe nobody reads would fill up and block the process.
 */
export function outputTail(keepLines: number) {
  const lines: string[] = [];
  let partial = '';
  return {
    collect(chunk: Buffer): void {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      lines.splice(0, Math.max(0, lines.length - keepLines));
    },
    text(): string {
      return [...lines, partial].filter(Boolean).join('\n');
    },
  };
}
