// Bytes -> text for feeds and pages. Order of authority: a byte-order mark, then the charset of the Content-Type
// header, then what the document says about itself (the XML declaration, <meta charset>), then UTF-8. Bytes that
// are not valid UTF-8 when nothing declared a charset are read as windows-1252, which is what an undeclared
// Latin-1 feed (common on old CMSes) almost always is, and what browsers do too.
import { TextDecoder } from 'node:util';

export interface DecodedText {
  readonly text: string;
  /** The encoding actually used, as TextDecoder names it (`utf-8`, `windows-1251`, ...). */
  readonly encoding: string;
}

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
];

/** The charset parameter of a Content-Type header, unquoted, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const value = (match?.[1] ?? match?.[2] ?? '').trim();
  return value === '' ? null : value;
}

/** The encoding a document declares in its first bytes: `<?xml encoding="...">` or an HTML `<meta>`. */
export function charsetFromDocument(bytes: Uint8Array): string | null {
  // Declarations are ASCII in every encoding we support, so a latin1 view of the head is enough to find them.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml?.[1]) return xml[1].trim();
  const meta = /<meta[^>]+charset\s*=\s*["']?([-\w:.]+)/i.exec(head);
  return meta?.[1]?.trim() ?? null;
}

function decoderFor(label: string | null): TextDecoder | null {
  if (label === null) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null; // unknown label: fall through to the next source of truth
  }
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) return { encoding: bom.encoding, length: bom.bytes.length };
  }
  return null;
}

export function decodeText(bytes: Uint8Array, contentType: string | null | undefined): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom) {
    return { text: new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length)), encoding: bom.encoding };
  }
  const fromHeader = decoderFor(charsetFromContentType(contentType));
  if (fromHeader) return { text: stripBom(fromHeader.decode(bytes)), encoding: fromHeader.encoding };
  const fromDocument = decoderFor(charsetFromDocument(bytes));
  // A document that declares UTF-16 without a BOM is lying: we could read its declaration as ASCII.
  if (fromDocument && !fromDocument.encoding.startsWith('utf-16')) {
    return { text: stripBom(fromDocument.decode(bytes)), encoding: fromDocument.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
