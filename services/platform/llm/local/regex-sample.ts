/**
 * Strings that match a JSON Schema `pattern`, for the patterns schemas actually carry (zod's
 * `.regex()`, times, identifiers, prefixes and suffixes). A small parser splits the pattern
 * into atoms, quantifiers, groups and alternatives; each atom's character is found by testing
 * a preference list against the atom itself, so classes, escapes and negations need no
 * interpreter of their own. Lookarounds and back-references produce nothing: callers check
 * every sample against the real RegExp and try something else when it does not match.
 */

type Node =
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly options: readonly Node[] }
  | { readonly kind: 'char'; readonly char: string | undefined }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number }
  | { readonly kind: 'empty' };

const PREFERRED = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...' -_.:/+@#=,;!?~*()[]{}<>\'"|\\$%^&`\t\n\r',
  'é',
  '\u{1F600}',
];

/** The pattern as the validator will run it: unicode mode when the pattern allows it. */
export function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // Not valid in this mode; the next one may accept it.
    }
  }
  return undefined;
}

/** The first preferred character the single atom `source` matches. */
function charFor(source: string): string | undefined {
  const atom = compilePattern(`^(?:${source})$`);
  if (!atom) return undefined;
  return PREFERRED.find((char) => atom.test(char));
}

class Parser {
  private index = 0;

  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    return this.index < this.source.length ? { kind: 'char', char: undefined } : node;
  }

  private peek(offset = 0): string | undefined {
    return this.source[this.index + offset];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { kind: 'seq', items };
  }

  private quantified(node: Node): Node {
    const next = this.peek();
    let bounds: [number, number] | undefined;
    if (next === '*') bounds = [0, Number.POSITIVE_INFINITY];
    else if (next === '+') bounds = [1, Number.POSITIVE_INFINITY];
    else if (next === '?') bounds = [0, 1];
    if (bounds) this.index += 1;
    else if (next === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.index));
      if (!match) return node;
      const min = Number(match[1]);
      const max =
        match[2] === undefined ? min : match[3] ? Number(match[3]) : Number.POSITIVE_INFINITY;
      bounds = [min, max];
      this.index += match[0].length;
    } else return node;
    if (this.peek() === '?') this.index += 1;
    return { kind: 'repeat', node, min: bounds[0], max: bounds[1] };
  }

  private atom(): Node {
    const char = this.peek() as string;
    if (char === '^' || char === '$') {
      this.index += 1;
      return { kind: 'empty' };
    }
    if (char === '(') return this.group();
    if (char === '[') return { kind: 'char', char: charFor(this.classSource()) };
    if (char === '\\') return this.escape();
    this.index += 1;
    return { kind: 'char', char: char === '.' ? 'a' : char };
  }

  private group(): Node {
    const lookaround = /^\(\?(=|!|<=|<!)/.exec(this.source.slice(this.index));
    const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(this.source.slice(this.index));
    if (lookaround) this.index += lookaround[0].length;
    else if (named) this.index += named[0].length;
    else this.index += this.source.startsWith('(?:', this.index) ? 3 : 1;
    const inner = this.alternation();
    if (this.peek() === ')') this.index += 1;
    return lookaround ? { kind: 'empty' } : inner;
  }

  private classSource(): string {
    const start = this.index;
    this.index += 1;
    if (this.peek() === '^') this.index += 1;
    if (this.peek() === ']') this.index += 1;
    while (this.index < this.source.length && this.peek() !== ']') {
      this.index += this.peek() === '\\' ? 2 : 1;
    }
    this.index += 1;
    return this.source.slice(start, this.index);
  }

  private escape(): Node {
    const rest = this.source.slice(this.index);
    const sized =
      /^\\(?:[pP]\{[^}]*\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>|\d+|.)/su.exec(
        rest,
      );
    const source = sized ? sized[0] : '\\';
    this.index += Math.max(source.length, 1);
    if (/^\\[bB]$/.test(source)) return { kind: 'empty' };
    if (/^\\(?:[1-9]\d*|k<)/.test(source)) return { kind: 'char', char: undefined };
    const code = /^\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))$/.exec(source);
    const hex = code?.[1] ?? code?.[2] ?? code?.[3];
    if (hex) return { kind: 'char', char: String.fromCodePoint(Number.parseInt(hex, 16)) };
    return { kind: 'char', char: charFor(source) };
  }
}

function render(node: Node, extra: number): string | undefined {
  switch (node.kind) {
    case 'empty':
      return '';
    case 'char':
      return node.char;
    case 'seq': {
      let text = '';
      for (const item of node.items) {
        const part = render(item, extra);
        if (part === undefined) return undefined;
        text += part;
      }
      return text;
    }
    case 'alt':
      for (const option of node.options) {
        const text = render(option, extra);
        if (text !== undefined) return text;
      }
      return undefined;
    case 'repeat': {
      const count = node.min + Math.min(extra, node.max - node.min);
      if (count === 0) return '';
      const once = render(node.node, extra);
      return once === undefined ? undefined : once.repeat(count);
    }
  }
}

/**
 * A string the pattern is likely to match: every quantifier takes its minimum plus `extra`
 * (within its maximum), so raising `extra` lengthens the sample toward a `minLength`. Undefined
 * when the pattern needs something this sampler cannot produce.
 */
export function sampleRegex(pattern: string, extra = 0): string | undefined {
  return render(new Parser(pattern).parse(), extra);
}
