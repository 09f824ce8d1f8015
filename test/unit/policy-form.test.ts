import { describe, expect, it } from 'vitest';
import { fieldsToPolicy, policyToFields } from '../../functions/console/policy-form.js';
import { defaultPolicy, type Policy } from '../../contract/policy.js';

const types = (policy: Policy) => policy.offline.eligibleCustomerTypes;

describe('the policy form', () => {
  it('reads back exactly the policy it shows, amounts in major units included', () => {
    const policy: Policy = {
      ...defaultPolicy,
      cartMinimum: { USD: 15000, JPY: 2000, KWD: 50125 },
      offline: { eligibleCustomerTypes: ['business', 'education'], minimum: { USD: 50000 }, maximum: { USD: 10000000 }, reminderDays: [5, 10], cancelAfterDays: 21, verifyReminderDays: 2 },
      partners: { 'p-1': { poEnabled: true, limit: 500000, currency: 'USD' } },
      customers: { 'cust-9': { paymentTermsDays: 60, trusted: true }, 'cust-10': { paymentTermsDays: 14 } },
      approvalRules: [{ minTotal: { USD: 1000000 }, approvals: 2 }],
      reviewReminderDays: 3,
      tax: { mode: 'exclusive', name: 'VAT', sellerCountry: 'DE', sellerTaxId: 'DE123456789', rates: { DE: 1900, 'US-CA': 725 }, reverseCharge: true, exemptCustomerTypes: ['education'] },
      reminders: { beforeDueDays: [7, 3], afterDueDays: [7, 14], autoCancelAfterDueDays: 60 },
      // Settings a save must keep, however the rest of the form changes.
      mfaForReviewers: true,
      einvoicing: { pdf: 'factur-x' },
    };
    const fields = policyToFields(policy);
    expect(fields.cartMinimum).toBe('USD 150.00\nJPY 2000\nKWD 50.125');
    expect(fields.offlineMaximum).toBe('USD 100000.00');
    expect(fieldsToPolicy(fields, types(policy))).toEqual({ policy, errors: {} });
  });

  it('puts each problem next to its field, in words, and keeps nothing', () => {
    const fields = { ...policyToFields(defaultPolicy), cartMinimum: 'USD 1.234', paymentTermsDays: 'thirty', partners: '{oops' };
    const result = fieldsToPolicy(fields, types(defaultPolicy));
    expect(result.policy).toBeNull();
    expect(result.errors).toEqual({
      cartMinimum: 'write one amount a line, as “USD 150.00”; “USD 1.234” is not',
      paymentTermsDays: 'enter a whole number of days',
      partners: 'this is not valid JSON',
    });
    const schema = fieldsToPolicy({ ...policyToFields(defaultPolicy), reviewerEmails: 'not-an-email', offlineMinimum: 'USD 200000.00' }, types(defaultPolicy));
    expect(Object.keys(schema.errors).sort()).toEqual(['offlineMinimum', 'reviewerEmails']);
    expect(Object.keys(fieldsToPolicy({ ...policyToFields(defaultPolicy), einvoicingPdf: 'pdf-x' }, types(defaultPolicy)).errors)).toEqual(['einvoicingPdf']);
  });
});
