import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  readonly op: string;
  /** The text after the instruction word, `${ARG}` references resolved. */
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  /** `AS <name>`, or the stage's index for an unnamed one. */
  readonly name: string;
  /** The base image, resolved. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/**
 * The stages of a Dockerfile, with `ARG` defaults (global and per stage) substituted, so a
 * rehearsal can run exactly what an image build runs. Only the syntax this repository uses is
 * understood; anything else throws naming the line, so a new instruction cannot be skipped
 * silently.
 */
export function parseDockerfile(path: string, buildArgs: Record<string, string> = {}): Stage[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const joined: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, index) => {
    const text = raw.trim();
    if (!pending && (text === '' || text.startsWith('#'))) return;
    if (pending && text.startsWith('#')) return;
    const current = pending ?? { text: '', line: index + 1 };
    const continued = text.endsWith('\\');
    current.text += `${current.text ? ' ' : ''}${continued ? text.slice(0, -1).trim() : text}`;
    pending = continued ? current : undefined;
    if (!continued) joined.push(current);
  });

  const globalArgs: Record<string, string> = {};
  const stages: {
    name: string;
    from: string;
    instructions: Instruction[];
    args: Record<string, string>;
  }[] = [];
  for (const { text, line } of joined) {
    const [word = '', ...rest] = text.split(/\s+/);
    const op = word.toUpperCase();
    const stage = stages.at(-1);
    const scope = stage?.args ?? globalArgs;
    const args = substitute(rest.join(' '), { ...globalArgs, ...scope, ...buildArgs });
    if (op === 'ARG') {
      const [name = '', value = ''] = rest.join(' ').split('=');
      scope[name] = buildArgs[name] ?? substitute(value, { ...globalArgs, ...scope });
      continue;
    }
    if (op === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      stages.push({
        name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length),
        from,
        instructions: [],
        args: {},
      });
      continue;
    }
    if (!stage) throw new Error(`${path}:${line}: ${op} before any FROM`);
    if (!KNOWN.has(op))
      throw new Error(`${path}:${line}: ${op} is not rehearsed; teach tools/image`);
    stage.instructions.push({ op, args, line });
  }
  return stages.map(({ name, from, instructions }) => ({ name, from, instructions }));
}

const KNOWN = new Set([
  'WORKDIR',
  'COPY',
  'RUN',
  'ENV',
  'USER',
  'HEALTHCHECK',
  'ENTRYPOINT',
  'CMD',
]);

function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, bare) => {
    const value = values[braced ?? bare];
    return value === undefined ? whole : value;
  });
}

/** `["a", "b"]` or shell form, as the argument list Docker would run. */
export function execForm(args: string): string[] {
  const trimmed = args.trim();
  return trimmed.startsWith('[') ? (JSON.parse(trimmed) as string[]) : ['/bin/sh', '-c', trimmed];
}

/** `KEY=value KEY2="value 2"` of an ENV instruction. */
export function envPairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const match of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) {
    pairs[match[1] as string] = match[3] ?? (match[2] as string);
  }
  return pairs;
}
