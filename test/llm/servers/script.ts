/** Tokens a fake provider reports for one answer. */
export interface Usage {
  readonly input: number;
  readonly output: number;
}

/** Text, whole for a plain call and chunk by chunk for a streaming one. */
export interface TextAnswer {
  readonly kind: 'text';
  readonly chunks: readonly string[];
  readonly usage: Usage;
  /** Streaming only: keep the connection open after the chunks (cancellation tests). */
  readonly hold: boolean;
}

/** One vector per value the request carried, in order. */
export interface EmbeddingsAnswer {
  readonly kind: 'embeddings';
  /** The vector of a value, by the value or its place in the request (undefined: not scripted). */
  readonly vectorOf: (value: string, index: number) => readonly number[] | undefined;
  readonly tokens: number;
}

/** A refusal in the provider's error format: 429 with Retry-After, 500, 529... */
export interface StatusAnswer {
  readonly kind: 'status';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly message: string;
}

/** Accept the request and never answer: only a client deadline or abort ends it. */
export interface HangAnswer {
  readonly kind: 'hang';
}

/** 200 with a body that is not the protocol's JSON (or event stream). */
export interface MalformedAnswer {
  readonly kind: 'malformed';
}

export type Answer = TextAnswer | EmbeddingsAnswer | StatusAnswer | HangAnswer | MalformedAnswer;

const DEFAULT_USAGE: Usage = { input: 11, output: 7 };

/** Builders for the answers a test scripts, with the usual defaults. */
export const answer = {
  text: (
    text: string | readonly string[],
    { usage = DEFAULT_USAGE, hold = false }: { usage?: Usage; hold?: boolean } = {},
  ): TextAnswer => ({
    kind: 'text',
    chunks: typeof text === 'string' ? [text] : text,
    usage,
    hold,
  }),
  /** The request's values get these vectors in order. */
  embeddings: (vectors: readonly (readonly number[])[], tokens = 5): EmbeddingsAnswer => ({
    kind: 'embeddings',
    vectorOf: (_value, index) => vectors[index],
    tokens,
  }),
  /** Each value gets its own vector, whichever request carries it (requests sent in parallel). */
  embeddingsOf: (
    vectors: Readonly<Record<string, readonly number[]>>,
    tokens = 5,
  ): EmbeddingsAnswer => ({ kind: 'embeddings', vectorOf: (value) => vectors[value], tokens }),
  status: (
    status: number,
    {
      headers = {},
      message = `scripted ${status}`,
    }: { headers?: Record<string, string>; message?: string } = {},
  ): StatusAnswer => ({ kind: 'status', status, headers, message }),
  rateLimited: (retryAfterSeconds: number): StatusAnswer =>
    answer.status(429, {
      headers: { 'retry-after': String(retryAfterSeconds) },
      message: 'Rate limit reached: retry later',
    }),
  hang: (): HangAnswer => ({ kind: 'hang' }),
  malformed: (): MalformedAnswer => ({ kind: 'malformed' }),
};

/**
 * What a fake server answers, in order: queued answers first, then the standing answer. Without
 * either, the server answers 501 naming the request, so a test that forgot to script one fails
 * on a message rather than on a retryable 500 that looks scripted.
 */
export class Script {
  readonly #queue: Answer[] = [];
  #standing: Answer | undefined;

  push(...answers: Answer[]): void {
    this.#queue.push(...answers);
  }

  /** Answered whenever the queue is empty. */
  always(answer: Answer): void {
    this.#standing = answer;
  }

  next(): Answer | undefined {
    return this.#queue.shift() ?? this.#standing;
  }
}
