/**
 * Token estimates for the local model: a token is taken as four characters, the rule of thumb
 * for English BPE vocabularies. Usage and budgets then behave like a real provider's without a
 * tokenizer dependency.
 */
export const countTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * The longest prefix of `text` ending at a word boundary that fits in `maxTokens`; a first word
 * longer than the whole budget is cut mid-word. Never returns more than the budget allows.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  const maxChars = Math.max(0, Math.floor(maxTokens) * 4);
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars + 1);
  const boundary = cut.lastIndexOf(' ');
  return boundary > 0 ? cut.slice(0, boundary) : text.slice(0, maxChars);
}
