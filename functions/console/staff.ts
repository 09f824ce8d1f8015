import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { log } from '../runtime/log.js';
import { finance, html, type ConsoleRequest, type ConsoleRoute } from './router.js';
import { staffPage } from './views/admin.js';

/** Finance invites people, sets their group, disables and enables them, and resets a lost authenticator app (not their own). */
async function manageStaff(request: ConsoleRequest, change: string): Promise<APIGatewayProxyResult> {
  const { deps, fields, session } = request;
  const email = (fields.email ?? '').trim().toLowerCase();
  const group = fields.group === 'finance' || fields.group === 'reviewer' ? fields.group : null;
  const show = async (status: number, notice?: { text: string; password?: string }, problem?: string) =>
    html(status, staffPage(await request.page('staff'), await deps.directory().list(), notice, problem));
  if (!z.email().safeParse(email).success) return show(400, undefined, 'Enter the email address of the person.');
  if (email === session.email.toLowerCase()) return show(409, undefined, 'You cannot change your own access; ask another finance member.');
  try {
    if (change === 'invite') {
      if (!group) return show(400, undefined, 'Choose a group.');
      const password = `${randomBytes(12).toString('base64url')}`;
      await deps.directory().invite(email, group, password);
      log.info('staff invited', { by: request.by.id, group });
      return show(201, { text: `${email} is invited as ${group}.`, password });
    }
    if (change === 'group') {
      if (!group) return show(400, undefined, 'Choose a group.');
      await deps.directory().setGroup(email, group);
      return show(200, { text: `${email} is now in ${group}.` });
    }
    if (change === 'reset-authenticator') {
      await deps.directory().resetSecondFactor(email);
      log.info('staff authenticator reset', { by: request.by.id });
      return show(200, { text: `${email}'s authenticator app is turned off. They sign in with their password and set up a new one before anything else.` });
    }
    await deps.directory().setEnabled(email, change === 'enable');
    return show(200, { text: `${email} is ${change === 'enable' ? 'enabled' : 'disabled'}.` });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'UsernameExistsException') return show(409, undefined, `${email} has an account already.`);
    if (name === 'UserNotFoundException') return show(404, undefined, `There is no account for ${email}.`);
    throw error;
  }
}

export const staffRoutes: ConsoleRoute[] = [
  { method: 'GET', path: /^\/staff$/, roles: finance, handle: async (request) => html(200, staffPage(await request.page('staff'), await request.deps.directory().list())) },
  { method: 'POST', path: /^\/staff\/(invite|group|enable|disable|reset-authenticator)$/, roles: finance, handle: (request, [change]) => manageStaff(request, change!) },
];
