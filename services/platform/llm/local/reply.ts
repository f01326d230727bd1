import type {
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4FunctionTool,
  LanguageModelV4Usage,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { valueForSchema } from './json-schema-value.js';
import { type PromptReading, readPrompt } from './prompt.js';
import { countTokens, truncateToTokens } from './tokens.js';

/** The one thing the local model says: text, a JSON document, or a call of one tool. */
export type LocalAnswer =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly text: string }
  | {
      readonly kind: 'tool-call';
      readonly toolCallId: string;
      readonly toolName: string;
      readonly input: string;
    };

/** An answer with what the specification reports beside it; generate and stream share it. */
export interface LocalReply {
  readonly answer: LocalAnswer;
  readonly finishReason: LanguageModelV4FinishReason;
  readonly usage: LanguageModelV4Usage;
  readonly warnings: SharedV4Warning[];
  readonly responseId: string;
}

const LABEL = '[local model]';
const DISCLAIMER = 'This reply is synthetic: no language model was called.';
const OPENERS = ['You asked:', 'Summary:', 'In short:', 'Noted:'];
const ECHOED_WORDS = 16;
const PREVIEW_CHARS = 120;

/** Up to three of the message's longest distinct words: a crude, stable "summary". */
function keyTerms(words: readonly string[]): string[] {
  const cleaned = words
    .map((word) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length > 3);
  return [...new Set(cleaned)].sort((a, b) => b.length - a.length).slice(0, 3);
}

function preview(text: string): string {
  const chars = [...text];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join('')}…` : text;
}

/** The text answer: labelled, built from the last user message's words (or the tool results). */
function textAnswer(reading: PromptReading): string {
  if (reading.toolOutcomes) {
    const outcomes = reading.toolOutcomes.map(
      (outcome) => `the tool ${outcome.toolName} returned ${preview(outcome.output)}`,
    );
    return `${LABEL} After the tool call, ${outcomes.join('; ') || 'no tool returned a result'}. ${DISCLAIMER}`;
  }
  const opener = OPENERS[Number.parseInt(reading.hash.slice(0, 8), 16) % OPENERS.length];
  const echoed = reading.words
    .slice(0, ECHOED_WORDS)
    .join(' ')
    .replace(/[.!?,;:]+$/, '');
  const summary = echoed
    ? `${echoed}${reading.words.length > ECHOED_WORDS ? '…' : ''}`
    : 'an empty message';
  const terms = keyTerms(reading.words);
  const termsSentence = terms.length > 0 ? ` Key terms: ${terms.join(', ')}.` : '';
  return `${LABEL} ${opener} ${summary}.${termsSentence} ${DISCLAIMER}`;
}

/** The function tool the model calls now, or undefined when it should answer instead. */
function toolToCall(
  options: LanguageModelV4CallOptions,
  reading: PromptReading,
): LanguageModelV4FunctionTool | undefined {
  const tools = (options.tools ?? []).filter(
    (tool): tool is LanguageModelV4FunctionTool => tool.type === 'function',
  );
  const choice = options.toolChoice ?? { type: 'auto' };
  // After a tool result the model answers, so a tool loop ends whatever stopWhen allows.
  if (tools.length === 0 || choice.type === 'none' || reading.toolOutcomes) return undefined;
  if (choice.type !== 'tool') return tools[0];
  const named = tools.find((tool) => tool.name === choice.toolName);
  if (!named) {
    throw new Error(
      `toolChoice names the tool "${choice.toolName}", which is not among the function tools offered (${tools.map((tool) => tool.name).join(', ')})`,
    );
  }
  return named;
}

function answerFor(options: LanguageModelV4CallOptions, reading: PromptReading): LocalAnswer {
  const source = { hash: reading.hash, words: reading.words };
  const tool = toolToCall(options, reading);
  if (tool) {
    return {
      kind: 'tool-call',
      toolCallId: `local-call-${reading.hash.slice(0, 16)}`,
      toolName: tool.name,
      input: JSON.stringify(valueForSchema(tool.inputSchema, source)),
    };
  }
  const format = options.responseFormat;
  if (format?.type === 'json') {
    const value = format.schema
      ? valueForSchema(format.schema, source)
      : { answer: textAnswer(reading) };
    return { kind: 'json', text: JSON.stringify(value) };
  }
  return { kind: 'text', text: textAnswer(reading) };
}

const unifiedReason = { text: 'stop', json: 'stop', 'tool-call': 'tool-calls' } as const;

/**
 * What the local model replies to a call: a tool call when function tools are offered (the
 * one `toolChoice` names, else the first) and the last message is not a tool result; JSON valid
 * against `responseFormat.schema` when JSON is asked for; labelled text otherwise. Text is cut to
 * `maxOutputTokens` (finish reason `length`); JSON and tool inputs never are, since a cut
 * document would be invalid. Usage is estimated at four characters a token.
 */
export function replyTo(options: LanguageModelV4CallOptions): LocalReply {
  const reading = readPrompt(options.prompt);
  let answer = answerFor(options, reading);
  let unified: LanguageModelV4FinishReason['unified'] = unifiedReason[answer.kind];
  const limit = options.maxOutputTokens;
  if (answer.kind === 'text' && limit !== undefined && countTokens(answer.text) > limit) {
    answer = { kind: 'text', text: truncateToTokens(answer.text, limit) };
    unified = 'length';
  }
  const outputTokens = countTokens(answer.kind === 'tool-call' ? answer.input : answer.text);
  const inputTokens = countTokens(reading.text);
  const warnings: SharedV4Warning[] = (options.tools ?? [])
    .filter((tool) => tool.type === 'provider')
    .map((tool) => ({
      type: 'unsupported',
      feature: `provider tool ${tool.name}`,
      details: 'the local model only calls function tools',
    }));
  return {
    answer,
    finishReason: { unified, raw: unified },
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
    },
    warnings,
    responseId: `local-${reading.hash.slice(0, 24)}`,
  };
}
