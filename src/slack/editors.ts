// Who may change a channel's feeds from Slack: workspace admins and owners (users.info), and the users and user
// groups (usergroups.users.list) the config names. Asked only for a change, never for `/digest feeds` or `topics`.
// Needs the users:read scope (and usergroups:read for groups); without them only the configured users may.
import type { webApi } from '@slack/bolt';
import type { Asker } from '../domain/digest-query.js';
import type { Logger } from '../ports.js';

export interface SlackEditors {
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
}

/** Who may, in words, for a refusal. */
export function whoMaySlack(editors: SlackEditors): string {
  const parts = ['Slack workspace admins and owners'];
  if (editors.userGroups.length > 0) parts.push(`members of the user group ${editors.userGroups.join(' or ')}`);
  if (editors.users.length > 0) parts.push(`the users ${editors.users.join(', ')} named in newsdigest's config`);
  return parts.length === 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

export async function slackAsker(
  client: webApi.WebClient,
  user: string,
  editors: SlackEditors,
  wantsChange: boolean,
  log: Logger,
): Promise<Asker> {
  const whoMay = whoMaySlack(editors);
  if (!wantsChange) return { id: user, mayEdit: false, whoMay };
  if (editors.users.includes(user)) return { id: user, mayEdit: true, whoMay };
  try {
    const info = await client.users.info({ user });
    const u = info.user;
    if (u?.is_admin === true || u?.is_owner === true || u?.is_primary_owner === true) {
      return { id: user, mayEdit: true, whoMay };
    }
  } catch (error) {
    log.warn({ err: error }, 'users.info failed: is the users:read scope granted?');
  }
  for (const usergroup of editors.userGroups) {
    try {
      const members = await client.usergroups.users.list({ usergroup });
      if (members.users?.includes(user)) return { id: user, mayEdit: true, whoMay };
    } catch (error) {
      log.warn({ err: error, usergroup }, 'usergroups.users.list failed: is the usergroups:read scope granted?');
    }
  }
  return { id: user, mayEdit: false, whoMay };
}
