// A delivery ledger that "dies" at a chosen write: the write is not made and the call throws, as when the process
// is killed after the platform accepted a message and before the bot wrote down that it did.
import type { DeliveryLedger, DeliveryRecord, DigestParent } from '../../src/ports.js';

export type CrashPoint =
  | { readonly before: 'record'; readonly storyId: string }
  | { readonly before: 'recordParent'; readonly withThread?: boolean };

export class Killed extends Error {
  override readonly name = 'Killed';
}

export function crashingLedger(inner: DeliveryLedger, at: CrashPoint): DeliveryLedger {
  let crashed = false;
  const crash = (hit: boolean): void => {
    if (!hit || crashed) return;
    crashed = true;
    throw new Killed(`killed before ${at.before}`);
  };
  return {
    get: (c, s) => inner.get(c, s),
    lastDigestAt: (c) => inner.lastDigestAt(c),
    setLastDigestAt: (c, iso) => inner.setLastDigestAt(c, iso),
    cursor: (c) => inner.cursor(c),
    setCursor: (c, seq) => inner.setCursor(c, seq),
    forget: (c, ids) => inner.forget(c, ids),
    intent: (c, item) => inner.intent(c, item),
    recordIntent: (i) => inner.recordIntent(i),
    parent: (c, w) => inner.parent(c, w),
    async record(r: DeliveryRecord) {
      crash(at.before === 'record' && r.storyId === at.storyId);
      await inner.record(r);
    },
    async recordParent(p: DigestParent) {
      crash(at.before === 'recordParent' && (at.withThread ?? false) === (p.threadId !== null));
      await inner.recordParent(p);
    },
  };
}
