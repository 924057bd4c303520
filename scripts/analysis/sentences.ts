/**
 * Sentences and parts of speech, by wink-nlp with its English web model.
 *
 * Why wink-nlp: measured on the five seed pages (2,760 words, 62 paragraphs) against
 * compromise, the other maintained candidate. wink split every paragraph where compromise ran
 * two sentences together in 3 of them (a closing quote with no space after it, `Yoon.“North`),
 * and it ran 6.5× faster (60 ms against 390 ms cold; about 3 µs a word warm), which matters for
 * a publish of 100,000 articles. compromise names people, organisations and places, which the
 * lite wink model does not; the analysis needs only parts of speech (a pronoun subject, a
 * proper-noun name) and finds people's full names in the article itself.
 */
import winkNLP, { type ItemSentence } from "wink-nlp";
import model from "wink-eng-lite-web-model";

const nlp = winkNLP(model, ["sbd", "pos"]);
const its = nlp.its;

export interface Token {
  readonly text: string;
  /** Universal POS tag: PRON, PROPN, VERB, AUX, DET… */
  readonly pos: string;
}

export interface Sentence {
  readonly text: string;
  readonly tokens: readonly Token[];
}

/**
 * A page pasted as text loses the space after a sentence that ends in a quote
 * (`said.“North`): one is put back, so the two are two sentences.
 */
function spaced(text: string): string {
  return text.replace(/(\p{Ll}{2}[.!?]["”’]?)(?=[“"‘]?\p{Lu}\p{Ll})/gu, "$1 ");
}

export function splitSentences(text: string): Sentence[] {
  const doc = nlp.readDoc(spaced(text));
  const out: Sentence[] = [];
  doc.sentences().each((s: ItemSentence) => {
    const words = s.tokens().out() as string[];
    const tags = s.tokens().out(its.pos) as string[];
    out.push({
      text: (s.out() as string).trim(),
      tokens: words.map((w, i) => ({ text: w, pos: tags[i] ?? "X" })),
    });
  });
  return out;
}
