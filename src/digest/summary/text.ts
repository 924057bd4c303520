/** Counting words as the summary's word limit counts them. */

export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,:-]*/gu);
  return m ? m.length : 0;
}
