import { describe, expect, it } from 'vitest';
import { LocalSesIdentities } from '../../infra/local/ses-identities.js';

/** The local SES as SES decides a send: verified sender always, verified recipients in the sandbox. */
describe("the local stack's SES identities", () => {
  const send = (from: string, to: string[]) => ({ FromEmailAddress: from, Destination: { ToAddresses: to } });

  it('sends only from a verified identity, the address itself or its domain, in SES\'s words otherwise', () => {
    const ses = new LocalSesIdentities(['orders@seller.example', 'acme.example']);
    expect(ses.refusal(send('Seller <orders@seller.example>', ['anyone@buyer.example']))).toBeNull();
    expect(ses.refusal(send('billing@acme.example', ['anyone@buyer.example']))).toBeNull();
    expect(ses.refusal(send('orders@elsewhere.example', ['anyone@buyer.example']))).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: orders@elsewhere.example',
    );
  });

  it('in the sandbox, sends only to verified recipients, and names each one that is not', () => {
    const ses = new LocalSesIdentities(['orders@seller.example'], true);
    expect(ses.refusal(send('orders@seller.example', ['reviewer@seller.example', 'ap@buyer.example']))).toBe(
      'Email address is not verified. The following identities failed the check in region US-EAST-1: reviewer@seller.example, ap@buyer.example',
    );
    ses.verify('seller.example');
    ses.verify('AP@buyer.example');
    expect(ses.refusal(send('orders@seller.example', ['reviewer@seller.example', 'ap@buyer.example']))).toBeNull();
    ses.sandbox = false;
    expect(ses.refusal(send('orders@seller.example', ['new@elsewhere.example']))).toBeNull();
  });
});
