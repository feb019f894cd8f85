// What makes two feed items "the same item" across polls and restarts: the feed's own id (guid / Atom id /
// JSON Feed id), else the item's link in a canonical form, else a hash of its title and date.
import { createHash } from 'node:crypto';
import { canonicalLink } from '../domain/canonical-link.js';

/**
 * A link resolved against `base`, or null when it is not an http(s) URL (javascript:, mailto:, garbage).
 * Relative feed links are common (`/2024/05/story`), so every link goes through this.
 */
export function resolveLink(link: string | null | undefined, base: string | undefined): string | null {
  const trimmed = link?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The scheme of a link that is a URL but not an http(s) one (`file:`, `ftp:`, `data:`), else null. */
export function refusedScheme(link: string | null | undefined, base: string | undefined): string | null {
  const trimmed = link?.trim();
  if (!trimmed) return null;
  try {
    const { protocol } = new URL(trimmed, base);
    return protocol === 'http:' || protocol === 'https:' ? null : protocol;
  } catch {
    return null;
  }
}

export interface IdentitySource {
  readonly guid: string | null;
  /** Already resolved to absolute. */
  readonly link: string | null;
  readonly title: string | null;
  /** As the feed wrote it, or ISO. */
  readonly date: string | null;
}

/** The item's identity: `guid`, else the canonical link, else `sha256:` of title and date. */
export function itemIdentity(item: IdentitySource): string {
  const guid = item.guid?.trim();
  if (guid) return guid;
  if (item.link) return canonicalLink(item.link);
  const digest = createHash('sha256')
    .update(`${item.title?.trim() ?? ''}\n${item.date?.trim() ?? ''}`)
    .digest('hex');
  return `sha256:${digest.slice(0, 32)}`;
}
