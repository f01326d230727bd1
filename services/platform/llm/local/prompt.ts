import type {
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4ToolResultOutput,
} from '@ai-sdk/provider';
import { sha256 } from './seed.js';

/** A tool result the last message carries, as the local model reports it back. */
export interface ToolOutcome {
  readonly toolName: string;
  readonly output: string;
}

/** What the local model takes from a prompt: all it decides on is here. */
export interface PromptReading {
  /** The whole prompt flattened to text: what usage counts as input. */
  readonly text: string;
  /** SHA-256 of `text`: equal prompts give equal answers. */
  readonly hash: string;
  /** The words of the last user message (or of the system prompt when there is none). */
  readonly words: readonly string[];
  /** Set when the last message returns tool results: the model then answers in text. */
  readonly toolOutcomes?: readonly ToolOutcome[];
}

function outputText(output: LanguageModelV4ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value) ?? 'null';
    case 'execution-denied':
      return `execution denied${output.reason ? `: ${output.reason}` : ''}`;
    case 'content':
      return output.value
        .map((part) => (part.type === 'text' ? part.text : `[${part.type}]`))
        .join(' ');
  }
}

/** One message as text; files and custom parts are named, not read (the model sees no bytes). */
function messageText(message: LanguageModelV4Message): string {
  if (message.role === 'system') return message.content;
  return message.content
    .map((part) => {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          return part.text;
        case 'tool-call':
          return `${part.toolName} ${JSON.stringify(part.input) ?? ''}`;
        case 'tool-result':
          return `${part.toolName} ${outputText(part.output)}`;
        case 'file':
        case 'reasoning-file':
          return `[file ${part.mediaType}]`;
        default:
          return `[${part.type}]`;
      }
    })
    .join(' ');
}

const wordsOf = (text: string): string[] => text.split(/\s+/).filter((word) => word.length > 0);

/** Reads a prompt once for every decision the local model makes about it. */
export function readPrompt(prompt: LanguageModelV4Prompt): PromptReading {
  const text = prompt.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
  const lastUser = prompt.findLast((message) => message.role === 'user');
  const system = prompt.find((message) => message.role === 'system');
  const source = lastUser ?? system;
  const last = prompt.at(-1);
  const toolOutcomes =
    last?.role === 'tool'
      ? last.content.flatMap((part) =>
          part.type === 'tool-result'
            ? [{ toolName: part.toolName, output: outputText(part.output) }]
            : [],
        )
      : undefined;
  return {
    text,
    hash: sha256(text),
    words: source ? wordsOf(messageText(source)) : [],
    ...(toolOutcomes ? { toolOutcomes } : {}),
  };
}
