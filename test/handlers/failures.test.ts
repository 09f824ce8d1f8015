import { describe, expect, it } from 'vitest';
import { SESv2Client, MessageRejected, SendingPausedException } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../functions/adapters/mailer.js';
import { changePurchaseOrder } from '../../functions/app/change.js';
import { resumeWorkflow } from '../../functions/app/resume.js';
import { awaitChange, describeFailure, fulfil, needsAttention, notify } from '../../functions/app/tasks.js';
import { makeHandler as makeList } from '../../functions/api/list-purchase-orders.js';
import { makeResume } from '../../functions/api/resume.js';
import { task } from '../../functions/tasks/task.js';
import { stepInput } from '../../contract/execution.js';
import { apiEvent, approvedOnFakes, FixedSecrets } from '../support/fakes.js';

/** Failures a real account shows: refused emails, steps that fail for good, and finance resuming them. */
const finance = { Authorization: `Bearer ${new FixedSecrets().values.finance}` };

describe('an email the email service refuses for good', () => {
  it('is recorded on the PO and told to finance; the other emails go and the flow goes on', async () => {
    const { deps, poId } = await approvedOnFakes();
    deps.mailer.rejects.add('buyer@acme.example');
    await fulfil(deps, { poId });
    const told = await notify(deps, { poId, notifiedVersion: 0 });
    const po = (await deps.pos.get(poId))!.po;
    expect(po.status).toBe('ordered');
    const failed = po.history.filter((entry) => entry.type === 'email_failed');
    expect(failed).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ notice: 'invoice', audience: 'buyer', to: ['buyer@acme.example'], reason: expect.stringContaining('MessageRejected') }) }),
    ]);
    // Told again (a retry, or the next Notify): still one entry, and finance hears of it once.
    await notify(deps, { poId, notifiedVersion: 0 });
    await notify(deps, { poId, notifiedVersion: told });
    expect((await deps.pos.get(poId))!.po.history.filter((entry) => entry.type === 'email_failed')).toHaveLength(1);
    const toFinance = deps.mailer.sent.filter((sent) => sent.email.subject.endsWith('an email could not be sent'));
    expect(toFinance).toHaveLength(1);
    expect(toFinance[0]!.email.to).toEqual(deps.policies.policy.financeEmails);
    expect(toFinance[0]!.email.text).toContain('buyer@acme.example');
  });

  it('is told apart by the SES adapter: MessageRejected is marked refused and never sent again; a paused account or an unverified identity is thrown', async () => {
    const marks = new Map<string, { refused: string | null }>();
    const sent = {
      outcome: async (poId: string, key: string) => marks.get(`${poId}|${key}`) ?? null,
      markSent: async (poId: string, key: string) => void marks.set(`${poId}|${key}`, { refused: null }),
      markRefused: async (poId: string, key: string, reason: string) => void marks.set(`${poId}|${key}`, { refused: reason }),
    };
    let calls = 0;
    let fault: Error | null = new MessageRejected({ message: 'Email address is on the account-level suppression list.', $metadata: {} });
    const ses = { send: async () => ((calls += 1), fault ? Promise.reject(fault) : Promise.resolve({ MessageId: 'm-1' })) } as unknown as SESv2Client;
    const mailer = new SesMailer(ses, sent as never, 'po@seller.example');
    const email = { to: ['x@acme.example'], subject: 's', text: 't', html: '<p>t</p>' };
    const refused = { refused: 'MessageRejected: Email address is on the account-level suppression list.' };
    expect(await mailer.sendOnce('PO1', '3-invoice', email)).toEqual(refused);
    expect(await mailer.sendOnce('PO1', '3-invoice', email)).toEqual(refused);
    expect(calls).toBe(1);
    fault = new SendingPausedException({ message: 'Sending is paused for this account.', $metadata: {} });
    await expect(mailer.sendOnce('PO1', '4-reminder', email)).rejects.toThrow('Sending is paused');
    expect(marks.has('PO1|4-reminder')).toBe(false);
    // A new account in the SES sandbox: the recipient is not verified. Not a refusal for good: the
    // step fails (and the PO asks for attention), and the same email goes once SES takes it.
    fault = new MessageRejected({ message: 'Email address is not verified. The following identities failed the check in region US-EAST-1: x@acme.example', $metadata: {} });
    await expect(mailer.sendOnce('PO1', '5-review', email)).rejects.toMatchObject({ name: 'EmailIdentityNotVerified', message: expect.stringContaining('x@acme.example') });
    expect(marks.has('PO1|5-review')).toBe(false);
    fault = null;
    expect(await mailer.sendOnce('PO1', '5-review', email)).toBe('sent');
  });
});

describe('a task that fails', () => {
  it('fails as Transient when the fault passes (throttling, a service error), under its own name otherwise', async () => {
    const throttled = task('t', stepInput, async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } });
    });
    await expect(throttled({ poId: 'PO1' })).rejects.toMatchObject({ name: 'Transient', message: 'ThrottlingException: Rate exceeded' });
    const serverSide = task('t', stepInput, async () => {
      throw Object.assign(new Error('We encountered an internal error'), { name: 'InternalServerError', $fault: 'server' });
    });
    await expect(serverSide({ poId: 'PO1' })).rejects.toMatchObject({ name: 'Transient' });
    const paused = task('t', stepInput, async () => {
      throw new SendingPausedException({ message: 'Sending is paused for this account.', $metadata: {} });
    });
    await expect(paused({ poId: 'PO1' })).rejects.toMatchObject({ name: 'SendingPausedException' });
  });

  it('reads a Lambda failure as Step Functions reports it', () => {
    expect(describeFailure({ Error: 'SendingPausedException', Cause: JSON.stringify({ errorType: 'SendingPausedException', errorMessage: 'Sending is paused.', trace: [] }) })).toBe(
      'SendingPausedException: Sending is paused.',
    );
    expect(describeFailure({ Error: 'States.Timeout', Cause: 'Task timed out after 60 seconds' })).toBe('States.Timeout: Task timed out after 60 seconds');
  });
});

describe('a PO that needs attention', () => {
  it('is flagged with the step and reason, finance is emailed at once, and it waits; resuming wakes it where the PO stands', async () => {
    const { deps, poId } = await approvedOnFakes();
    deps.workflow.started.push({ poId, input: {} }); // its execution runs
    const failure = { Error: 'SendingPausedException', Cause: JSON.stringify({ errorMessage: 'Sending is paused for this account.' }) };
    const view = await needsAttention(deps, { poId, step: 'Deliver and invoice', failure });
    expect(view.next).toBe('attention');
    // Again (a retry of the step): nothing new.
    expect((await needsAttention(deps, { poId, step: 'Deliver and invoice', failure })).version).toBe(view.version);
    const po = (await deps.pos.get(poId))!.po;
    expect(po.attention).toMatchObject({ step: 'Deliver and invoice', reason: 'SendingPausedException: Sending is paused for this account.' });
    const mail = deps.mailer.sent.filter((sent) => sent.email.subject.includes('needs attention'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.email).toMatchObject({ to: deps.policies.policy.financeEmails, subject: `${po.reference}: needs attention - Deliver and invoice failed` });
    expect(mail[0]!.email.text).toContain('Sending is paused for this account.');

    // Listed for finance.
    const listed = await makeList(deps)(apiEvent({ path: '/purchase-orders', headers: finance, query: { attention: 'true' } }));
    expect(JSON.parse(listed.body).items.map((item: { id: string; attention: unknown }) => [item.id, item.attention])).toEqual([[poId, expect.objectContaining({ step: 'Deliver and invoice' })]]);

    // The workflow parks at "Await resume"; finance resumes; the parked wait is woken with the PO's next step.
    await awaitChange(deps, { poId, token: 'resume-token', seenVersion: view.version });
    const resumed = await makeResume(deps)(apiEvent({ method: 'POST', path: `/purchase-orders/${poId}/resume`, headers: finance, pathParameters: { id: poId } }));
    expect(resumed.statusCode).toBe(200);
    expect(JSON.parse(resumed.body)).toMatchObject({ attention: null, history: expect.arrayContaining([expect.objectContaining({ type: 'resume', by: { type: 'key', name: 'finance' } })]) });
    expect(deps.workflow.signals).toEqual([{ token: 'resume-token', output: expect.objectContaining({ next: 'fulfil' }) }]);
    expect(deps.workflow.restarted).toEqual([]);
    // Nothing left to resume: 409, nothing changes.
    const again = await makeResume(deps)(apiEvent({ method: 'POST', path: `/purchase-orders/${poId}/resume`, headers: finance, pathParameters: { id: poId } }));
    expect(again.statusCode).toBe(409);
    expect(JSON.parse(listed.body).items).toHaveLength(1);
    expect(await deps.pos.needingAttention(10)).toEqual([]);
  });

  it('whose execution ended badly gets a fresh one on resume, from where the PO stands', async () => {
    const { deps, poId } = await approvedOnFakes();
    deps.workflow.started.push({ poId, input: {} });
    deps.workflow.ended.add(poId); // failed before this release, or timed out
    const po = await resumeWorkflow(deps, poId, { actor: 'finance' });
    expect(po.status).toBe('ordered');
    expect(deps.workflow.restarted).toEqual([{ poId, input: expect.objectContaining({ poId, po: expect.objectContaining({ next: 'fulfil' }), notifiedVersion: 0 }) }]);
    // A decision that moves the PO supersedes a failed step.
    await needsAttention(deps, { poId, step: 'Notify', failure: { Error: 'Error', Cause: 'boom' } });
    const cancelled = await changePurchaseOrder(deps, poId, { type: 'cancel' }, { actor: 'finance', at: deps.clock.now() });
    expect(cancelled.attention).toBeNull();
  });
});
