// Discord's message limits, written down once (https://discord.com/developers/docs/resources/message#embed-object-
// embed-limits) and checked on every payload the renderer produces, so a rendering bug fails here, in our code,
// with the field that broke, instead of as a 50035 "Invalid Form Body" from Discord in the middle of a digest.
import { z } from 'zod';

export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  /** Characters across every embed of one message: titles, descriptions, field names and values, footers, authors. */
  embedsTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  threadName: 100,
} as const;

const L = DISCORD_LIMITS;

const embedSchema = z.looseObject({
  title: z.string().max(L.embedTitle).optional(),
  description: z.string().max(L.embedDescription).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  fields: z
    .array(z.looseObject({ name: z.string().min(1).max(L.fieldName), value: z.string().min(1).max(L.fieldValue) }))
    .max(L.embedFields)
    .optional(),
  footer: z.looseObject({ text: z.string().min(1).max(L.footer) }).optional(),
  author: z.looseObject({ name: z.string().min(1).max(L.author) }).optional(),
});

export type EmbedLike = z.infer<typeof embedSchema>;

/** What Discord counts against the 6,000 characters of a message's embeds. */
export function embedLength(embed: EmbedLike): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) n += field.name.length + field.value.length;
  return n;
}

export const messageSchema = z
  .looseObject({
    content: z.string().max(L.content).optional(),
    embeds: z.array(embedSchema).max(L.embedsPerMessage).optional(),
  })
  .refine((m) => (m.embeds ?? []).reduce((n, e) => n + embedLength(e), 0) <= L.embedsTotal, {
    message: `more than ${L.embedsTotal} characters across the message's embeds`,
    path: ['embeds'],
  })
  .refine((m) => (m.content ?? '').length > 0 || (m.embeds ?? []).length > 0, {
    message: 'a message needs content or an embed',
  });

export class DiscordLimitError extends Error {
  override readonly name = 'DiscordLimitError';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`A Discord message would break Discord's limits: ${problems.join('; ')}`, options);
  }
}

/** Throws DiscordLimitError naming every field over its limit. */
export function checkMessage(payload: unknown): void {
  const result = messageSchema.safeParse(payload);
  if (result.success) return;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
  throw new DiscordLimitError(problems, { cause: result.error });
}

/** Cuts text to `max` characters, ending with an ellipsis when it was cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  if (end > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(end))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
