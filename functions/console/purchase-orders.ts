import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { bodies } from '../../contract/bodies.js';
import { attachmentUrl, uploadDirect } from '../app/attachments.js';
import { MAX_DIRECT_UPLOAD_BYTES, sniffAttachment } from '../domain/attachments.js';
import { changePurchaseOrder } from '../app/change.js';
import { actionOf } from '../app/lifecycle-actions.js';
import type { PolicyStore } from '../app/ports.js';
import { resumeWorkflow } from '../app/resume.js';
import { creditAccount } from '../domain/credit.js';
import { RuleViolation } from '../domain/errors.js';
import { parseMajor } from '../domain/money.js';
import { allowedActions, type Action, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { problemOf } from '../http/http.js';
import { NoEInvoiceError, writers, xmlFormats, type XmlFormat } from '../einvoice/formats.js';
import type { WrittenXml } from '../einvoice/write.js';
import type { EInvoice } from '../einvoice/model.js';
import { documentKey, pdfAnswer } from '../http/pdf.js';
import { both, finance, html, notFound, redirect, type ConsoleRequest, type ConsoleRoute } from './router.js';
import { customerPage, poPage } from './views/purchase-order.js';

/** A PO's page, its documents and files, the actions on it, and a customer's account. */
const id = '([A-Za-z0-9_-]{1,64})';

async function xmlOrNone(einvoice: EInvoice, format: XmlFormat): Promise<WrittenXml | null> {
  try {
    return (await writers()).writeXml(einvoice, format);
  } catch (error) {
    if (error instanceof NoEInvoiceError) return null;
    throw error;
  }
}

const purchaseOrder = async (request: ConsoleRequest, poId: string) => (await request.deps.pos.get(poId))?.po ?? null;

/**
 * Finance attaches the buyer's signed PO that came by post or fax (scanned): the file is checked as the
 * API checks one (its first bytes, its size) and kept; the history names the person.
 */
async function attach(request: ConsoleRequest, poId: string): Promise<APIGatewayProxyResult> {
  const po = await purchaseOrder(request, poId);
  if (!po) return notFound(request, 'There is no such purchase order.');
  const refuse = async (status: number, problem: string) => html(status, poPage(await request.page(), po, allowedActions(po, request.session.role), problem));
  const file = request.file;
  if (!file || file.bytes.length === 0) return refuse(400, 'Not attached: choose the file of the signed purchase order (PDF, PNG or JPEG).');
  if (file.truncated) return refuse(413, `Not attached: the console takes files of up to ${MAX_DIRECT_UPLOAD_BYTES / 1024 / 1024} MB; scan at a lower resolution, or send a larger file through the API.`);
  // A browser may call a scan application/octet-stream: its first bytes say what it is, and the check that follows holds it to that.
  const contentType = sniffAttachment(file.bytes.subarray(0, 8)) ?? file.contentType;
  try {
    await uploadDirect(request.deps, po.id, { actor: 'finance', by: request.by }, { bytes: file.bytes, contentType, ...(file.filename ? { filename: file.filename } : {}) });
  } catch (error) {
    const problem = problemOf(error);
    if (!problem || problem.status >= 500) throw error;
    return refuse(problem.status, `Not attached: ${problem.detail}.`);
  }
  return redirect(`${request.base}/po/${po.id}#files`);
}

export const purchaseOrderRoutes: ConsoleRoute[] = [
  { method: 'POST', path: new RegExp(`^/po/${id}/attachments$`), roles: finance, handle: (request, [poId]) => attach(request, poId!) },
  {
    method: 'GET',
    path: new RegExp(`^/po/${id}$`),
    roles: both,
    handle: async (request, [poId]) => {
      const po = await purchaseOrder(request, poId!);
      if (!po) return notFound(request, 'There is no such purchase order.');
      return html(200, poPage(await request.page(), po, allowedActions(po, request.session.role)));
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/po/${id}/documents/${id}$`),
    roles: both,
    handle: async (request, [poId, docId]) => {
      const po = await purchaseOrder(request, poId!);
      const stored = po?.documents.some((doc) => doc.id === docId) ? await request.deps.documents.get(po.id, docId!) : null;
      if (!stored) return notFound(request, 'There is no such document.');
      // ?format=ubl|xrechnung|cii: the e-invoice, as the API gives it.
      const format = request.event.queryStringParameters?.format;
      if (format !== undefined) {
        const written = stored.einvoice && xmlFormats.includes(format as XmlFormat) ? await xmlOrNone(stored.einvoice, format as XmlFormat) : null;
        if (!written) return notFound(request, `Document ${stored.number} has no ${format} e-invoice.`);
        return {
          statusCode: 200,
          headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${written.filename}"`, 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
          body: written.xml,
        };
      }
      return pdfAnswer(request.event, request.deps.files, { key: documentKey(po!.id, docId!), filename: `${stored.number}.pdf`, pdf: stored.pdf });
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^/po/${id}/attachments/${id}$`),
    roles: both,
    handle: async (request, [poId, attachmentId]) => {
      const po = await purchaseOrder(request, poId!);
      if (!po || !po.attachments.some((a) => a.id === attachmentId)) return notFound(request, 'There is no such file.');
      return redirect(await attachmentUrl(request.deps, po, attachmentId!));
    },
  },
  {
    method: 'GET',
    path: /^\/customers\/([^/]{1,600})$/,
    // A customer's credit account is finance's, as in the API (GET /customers/{id}/account).
    roles: finance,
    handle: async (request, [encoded]) => {
      let customerId: string;
      try {
        customerId = decodeURIComponent(encoded!);
      } catch {
        return notFound(request, 'There is no such customer.');
      }
      const [open, policy] = await Promise.all([request.deps.pos.openForCustomer(customerId), request.deps.policies.get()]);
      return html(200, customerPage(await request.page(), creditAccount(customerId, open, policy), open[0]?.customer.company ?? null));
    },
  },
  { method: 'POST', path: new RegExp(`^/po/${id}/actions/(.+)$`), roles: both, handle: (request, [poId, name]) => act(request, poId!, name!) },
];

/** One action from a PO's page: the same validation, use case and domain table as the API. */
async function act(request: ConsoleRequest, poId: string, name: string): Promise<APIGatewayProxyResult> {
  const { deps, session, by } = request;
  const po = await purchaseOrder(request, poId);
  if (!po) return notFound(request, 'There is no such purchase order.');
  const refuse = async (status: number, problem: string, current = po) => html(status, poPage(await request.page(), current, allowedActions(current, session.role), problem));
  let action: Action;
  try {
    action = await actionFor(po, name, request.fields, deps.policies);
  } catch (error) {
    if (error instanceof z.ZodError) return refuse(400, error.issues.map((issue) => `${issue.path.join('.') || 'form'}: ${issue.message}`).join('; '));
    if (error instanceof RuleViolation) return refuse(422, error.message);
    throw error;
  }
  try {
    if (action.type === 'resume') await resumeWorkflow(deps, poId, { actor: session.role, by });
    else await changePurchaseOrder(deps, poId, action, { actor: session.role, by, at: deps.clock.now() });
  } catch (error) {
    // The same problem the API would answer, shown on the PO as it is now.
    const problem = problemOf(error);
    if (!problem || (problem.status !== 409 && problem.status !== 422)) throw error;
    const current = (await request.deps.pos.get(poId))?.po ?? po;
    return refuse(problem.status, `Not done: ${problem.detail}.`, current);
  }
  return redirect(`${request.base}/po/${poId}`);
}

async function actionFor(po: PurchaseOrder, name: string, fields: Record<string, string>, policies: PolicyStore): Promise<Action> {
  const note = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);
  const optional = <T extends object>(body: T, key: string, value: string | undefined) => (value === undefined ? body : { ...body, [key]: value });
  switch (name) {
    case 'approve':
    case 'reject':
      return actionOf.review(bodies.review.parse(optional({ decision: name }, 'comment', note(fields.comment))));
    case 'record-payment': {
      const amount = parseMajor(fields.amount ?? '', po.currency);
      if (amount === null || amount <= 0) throw new RuleViolation(`enter the amount in ${po.currency} as printed, for example 297.00`, 'amount_format');
      return actionOf.recordPayment(bodies.payment.parse({ amount, reference: fields.reference ?? '' }));
    }
    case 'accept-payment':
      return actionOf.verifyPayment(bodies.verification.parse({ decision: 'accept' }));
    case 'reject-payment':
      return actionOf.verifyPayment(bodies.verification.parse(optional({ decision: 'reject' }, 'reason', note(fields.reason))));
    case 'resolve-dispute':
      return actionOf.resolveDispute(bodies.resolve.parse(optional({ outcome: fields.outcome }, 'reason', note(fields.reason))));
    case 'dispute':
      return actionOf.dispute(bodies.reason.parse(optional({}, 'reason', note(fields.reason))));
    case 'cancel':
      return actionOf.cancel(bodies.reason.parse(optional({}, 'reason', note(fields.reason))));
    case 'convert':
      return actionOf.convert(bodies.convert.parse({}), policies);
    case 'resume':
      return { type: 'resume' };
    default: {
      const ship = /^ship\/([A-Za-z0-9_-]{1,32})\/(shipped|delivered)$/.exec(name);
      if (ship) return actionOf.updateShipping(bodies.shipping.parse({ status: ship[2] }), ship[1]!);
      throw new RuleViolation(`there is no action “${name}”`, 'unknown_action');
    }
  }
}
