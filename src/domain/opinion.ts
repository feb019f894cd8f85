// Opinion pieces (columns, editorials, op-eds, comment): an outlet's view of the news, not a report of it. They
// belong to their story (readers want the link) but they never speak for it: a summary that quotes "produced warm
// words and no movement on the one question that matters" as the story's news puts a columnist's judgement in the
// wire's mouth. Outlets label them, and the label is what is read: a title prefix ("Opinion: ..."), a section
// label above the text ("Opinion", "Editorial"), a disclaimer ("The views expressed are the author's own"), or the
// section in the address (/opinion/, /commentisfree/). "Analysis" is left out: it is reporting with context.
import { clipped } from './text.js';
import { urlPath } from './url-date.js';

/** "Opinion: ...", "Editorial | ...", "Op-Ed - ...", "Comment: ...", "Column: ...". */
const TITLE_LABEL = /^\s*(opinion|editorial|op-?ed|comment|column|guest essay|viewpoint|letters?)\s*[:|–—-]\s*\S/i;
/** A line that is only the section label. */
const LABEL_LINE =
  /^\s*(opinion|editorial|op-?ed|comment|column|guest essay|viewpoint|our view|the editorial board)\s*$/i;
const DISCLAIMER =
  /\b(?:(?:the )?views?(?: and opinions)? expressed (?:here|in this (?:article|column|piece|commentary))? ?(?:are|is) (?:solely )?(?:those of |the )?(?:the )?(?:author|writer|columnist)(?:['’]s?)?(?: own)?|this (?:is an|article is an?) (?:opinion|op-ed|comment(?:ary)?) (?:piece|column|article)?)\b/i;
/** Opinion sections in an address ("/opinion/", "/commentisfree/", "/editorials/", "/op-ed/"). */
const URL_SECTION = /\/(?:opinions?|commentisfree|editorials?|op-?eds?|columnists?|comment-is-free)(?:\/|$)/i;

/** Lines from the top where a section label stands. */
const LABEL_LINES = 4;
/** A disclaimer is a sentence or two. */
const MAX_DISCLAIMER_CHARS = 300;

/** What marks the text an opinion piece (quoted for the reader), or null when nothing does. */
export function opinionLabel(title: string | null, url: string | null, lines: readonly string[]): string | null {
  const titled = title === null ? null : TITLE_LABEL.exec(title);
  if (titled) return `titled "${titled[1]}"`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (i < LABEL_LINES && LABEL_LINE.test(line)) return `labelled "${line.trim()}"`;
    if (line.length <= MAX_DISCLAIMER_CHARS && DISCLAIMER.test(line)) return `"${clipped(line.trim())}"`;
  }
  if (url !== null) {
    const path = urlPath(url);
    const section = path === null ? null : URL_SECTION.exec(path);
    if (section) return `in the ${section[0].replace(/\//g, '')} section of its site`;
  }
  return null;
}

/** Whether an article's warnings say it is an opinion piece. */
export function isOpinion(warnings: readonly { readonly kind: string }[]): boolean {
  return warnings.some((w) => w.kind === 'opinion');
}
