import { parseMajor, toDecimalString } from '../domain/money.js';
import { isCurrency } from '../../contract/currency.js';
import { policySchema, type Policy } from '../../contract/policy.js';

/**
 * The policy as a form a finance clerk fills in: lists one item a line, amounts per currency as
 * "USD 150.00" in major units, days as numbers, the nested rules (partners, approval rules) as JSON.
 * The form is read into the same schema the API validates with; each problem is put next to the
 * field it belongs to.
 */
export type PolicyFields = Record<string, string>;

export interface PolicyFormResult {
  policy: Policy | null;
  /** Field name -> what is wrong, in words. */
  errors: Record<string, string>;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter(Boolean);

const amountsText = (amounts: Record<string, number>) =>
  Object.entries(amounts)
    .map(([currency, amount]) => `${currency} ${toDecimalString(amount, currency)}`)
    .join('\n');

/** The current policy as the form shows it. */
export function policyToFields(policy: Policy): PolicyFields {
  return {
    reviewByDefault: policy.reviewByDefault ? 'on' : '',
    trustedCustomers: policy.trustedCustomers.join('\n'),
    reviewerEmails: policy.reviewerEmails.join('\n'),
    financeEmails: policy.financeEmails.join('\n'),
    paymentTermsDays: String(policy.paymentTermsDays),
    defaultDelivery: policy.defaultDelivery,
    cartMinimum: amountsText(policy.cartMinimum),
    offlineTypes: policy.offline.eligibleCustomerTypes.join(','),
    offlineMinimum: amountsText(policy.offline.minimum),
    offlineMaximum: amountsText(policy.offline.maximum),
    unpaidReminderDays: policy.offline.reminderDays.join(', '),
    unpaidCancelAfterDays: policy.offline.cancelAfterDays === null ? '' : String(policy.offline.cancelAfterDays),
    verifyReminderDays: policy.offline.verifyReminderDays === null ? '' : String(policy.offline.verifyReminderDays),
    reviewEscalationEmail: policy.reviewEscalationEmail ?? '',
    reviewTimeoutDays: String(policy.reviewTimeoutDays),
    reviewReminderDays: policy.reviewReminderDays === null ? '' : String(policy.reviewReminderDays),
    beforeDueDays: policy.reminders.beforeDueDays.join(', '),
    afterDueDays: policy.reminders.afterDueDays.join(', '),
    autoCancelAfterDueDays: policy.reminders.autoCancelAfterDueDays === null ? '' : String(policy.reminders.autoCancelAfterDueDays),
    partners: JSON.stringify(policy.partners, null, 2),
    customers: JSON.stringify(policy.customers, null, 2),
    tax: JSON.stringify(policy.tax, null, 2),
    approvalRules: JSON.stringify(policy.approvalRules, null, 2),
    mfaForReviewers: policy.mfaForReviewers ? 'on' : '',
    einvoicingPdf: policy.einvoicing.pdf,
  };
}

/** Which form field a schema path belongs to. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  if (first === 'offline') {
    const fields: Record<string, string> = {
      eligibleCustomerTypes: 'offlineTypes',
      minimum: 'offlineMinimum',
      reminderDays: 'unpaidReminderDays',
      cancelAfterDays: 'unpaidCancelAfterDays',
      verifyReminderDays: 'verifyReminderDays',
    };
    return fields[second ?? ''] ?? 'offlineMaximum';
  }
  if (first === 'reminders') return second ?? 'beforeDueDays';
  if (first === 'einvoicing') return 'einvoicingPdf';
  return first ?? 'form';
}

export function fieldsToPolicy(fields: PolicyFields, customerTypes: (string | undefined)[]): PolicyFormResult {
  const errors: Record<string, string> = {};
  const whole = (name: string, optional = false): number | null => {
    const text = (fields[name] ?? '').trim();
    if (!text && optional) return null;
    if (!/^\d{1,5}$/.test(text)) {
      errors[name] = 'enter a whole number of days';
      return 0;
    }
    return Number(text);
  };
  const days = (name: string) =>
    lines(fields[name]).map((text) => {
      if (!/^\d{1,5}$/.test(text)) errors[name] = 'enter whole numbers of days, separated by commas';
      return Number(text);
    });
  const amounts = (name: string) => {
    const result: Record<string, number> = {};
    const rows = (fields[name] ?? '').split(/\r?\n/).map((row) => row.trim()).filter(Boolean);
    for (const line of rows) {
      const [currency, amount] = line.split(/\s+/);
      const code = (currency ?? '').toUpperCase();
      const minor = amount === undefined || !isCurrency(code) ? null : parseMajor(amount, code);
      if (minor === null) errors[name] = `write one amount a line, as “USD 150.00”; “${line}” is not`;
      else result[code] = minor;
    }
    return result;
  };
  const json = (name: string): unknown => {
    try {
      return JSON.parse(fields[name]?.trim() || 'null');
    } catch {
      errors[name] = 'this is not valid JSON';
      return null;
    }
  };
  const candidate = {
    reviewByDefault: fields.reviewByDefault === 'on',
    trustedCustomers: lines(fields.trustedCustomers),
    reviewerEmails: lines(fields.reviewerEmails),
    financeEmails: lines(fields.financeEmails),
    paymentTermsDays: whole('paymentTermsDays'),
    defaultDelivery: fields.defaultDelivery,
    cartMinimum: amounts('cartMinimum'),
    offline: {
      eligibleCustomerTypes: customerTypes.filter(Boolean),
      minimum: amounts('offlineMinimum'),
      maximum: amounts('offlineMaximum'),
      reminderDays: days('unpaidReminderDays'),
      cancelAfterDays: whole('unpaidCancelAfterDays', true),
      verifyReminderDays: whole('verifyReminderDays', true),
    },
    partners: json('partners') ?? {},
    customers: json('customers') ?? {},
    tax: json('tax') ?? { mode: 'none' },
    reviewTimeoutDays: whole('reviewTimeoutDays'),
    approvalRules: json('approvalRules') ?? [],
    reviewReminderDays: whole('reviewReminderDays', true),
    reviewEscalationEmail: (fields.reviewEscalationEmail ?? '').trim() || null,
    reminders: { beforeDueDays: days('beforeDueDays'), afterDueDays: days('afterDueDays'), autoCancelAfterDueDays: whole('autoCancelAfterDueDays', true) },
    mfaForReviewers: fields.mfaForReviewers === 'on',
    einvoicing: { pdf: fields.einvoicingPdf },
  };
  if (Object.keys(errors).length) return { policy: null, errors };
  const parsed = policySchema.safeParse(candidate);
  if (parsed.success) return { policy: parsed.data, errors };
  for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message;
  return { policy: null, errors };
}
