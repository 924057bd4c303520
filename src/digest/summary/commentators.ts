/**
 * "Who was active" counts the actors who act in an item, not the country of someone commenting
 * on it: in "South Korean analyst Yune Hyeong-jin said Russia was unlikely to arm North Korea"
 * Russia and North Korea are the actors, South Korea is only the analyst's nationality. So a
 * commentator's description (an analyst, expert, scholar, editor, a former or retired official)
 * is taken out of the sentence before its actors are found; an official speaking for a state
 * ("Chinese defence ministry spokesman Wu Qian said…") is that state acting, and stays. Nor
 * does a country a statement is only about ("isolated over Ukraine") act in it.
 */

const COMMENTATOR = String.raw`(?:analysts?|experts?|researchers?|professors?|lecturers?|lectures|teaching|scholars?|commentators?|editors?|journalists?|columnists?|fellows?|think[- ]tank|former|retired|ex-)`;
const SPEECH = String.raw`(?:said|says|told|argued|argues|wrote|writes|noted|notes|added|suggested|suggests|believes|believed|warned|warns|expected|expects|thinks|thought|doubted|reckons|called)`;

/** ", a retired US Navy captain teaching at Hawaii Pacific University," */
const APPOSITIVE = new RegExp(
  String.raw`,\s+(?:a|an|the)\s+[^,;]*?\b${COMMENTATOR}\b[^,;]*,`,
  "giu",
);
/** "Former US ambassador to Ukraine Steven Pifer said", up to and with the speech verb. */
const LEAD_IN = new RegExp(
  String.raw`(?:^|(?<=[;:]\s))[^,;:]*?\b${COMMENTATOR}\b[^,;:]*?\b${SPEECH}\b`,
  "giu",
);
/** "…, according to Carl Schuster, a retired captain" at the end of a sentence. */
const TRAILING = new RegExp(
  String.raw`,\s+(?:${SPEECH}|according to)\s+[^,;]*?(?:,\s+(?:a|an|the)\s+)?[^,;]*?\b${COMMENTATOR}\b[^;]*$`,
  "giu",
);

/**
 * What a statement is about is not who acts in it: "to show that Moscow is not isolated over
 * Ukraine". The preposition and the proper name after it ("over Ukraine", "about the Kremlin").
 */
const TOPIC = /\b(?:over|about|concerning|regarding)\s+(?:the\s+)?(?:\p{Lu}[\p{L}'-]*\s*)+/gu;

/** The sentence without its commentators' descriptions and topics: what is left says who acted. */
export function withoutCommentators(sentence: string): string {
  return sentence
    .replace(APPOSITIVE, ",")
    .replace(LEAD_IN, "")
    .replace(TRAILING, "")
    .replace(TOPIC, "");
}
