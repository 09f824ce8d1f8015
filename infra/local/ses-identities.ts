/**
 * SES's verified identities and its sandbox, for the local stack. SES sends only from a verified
 * identity (the address or its domain) and, while an account is in the sandbox, only to verified
 * identities; anything else is `MessageRejected`, worded as SES words it. The template's identities
 * start verified (as once their owner clicked SES's link); `POST /_local/ses` verifies more and
 * turns the sandbox on or off (`PO_SES_SANDBOX=1` starts with it on).
 */
export class LocalSesIdentities {
  private readonly verified: Set<string>;

  constructor(
    identities: string[],
    public sandbox = false,
    private readonly region = 'us-east-1',
  ) {
    this.verified = new Set(identities.map((identity) => identity.toLowerCase()));
  }

  verify(identity: string): void {
    this.verified.add(identity.toLowerCase());
  }

  list(): string[] {
    return [...this.verified].sort();
  }

  /** SES's refusal of a SendEmail (v2) body, or null when SES would take it. */
  refusal(body: Record<string, unknown>): string | null {
    const from = addressOf(String(body.FromEmailAddress ?? ''));
    const destination = (body.Destination ?? {}) as Record<string, string[] | undefined>;
    const recipients = this.sandbox ? [...(destination.ToAddresses ?? []), ...(destination.CcAddresses ?? []), ...(destination.BccAddresses ?? [])].map(addressOf) : [];
    const failed = [from, ...recipients].filter((address, i, all) => !this.isVerified(address) && all.indexOf(address) === i);
    if (!failed.length) return null;
    return `Email address is not verified. The following identities failed the check in region ${this.region.toUpperCase()}: ${failed.join(', ')}`;
  }

  private isVerified(address: string): boolean {
    return this.verified.has(address) || this.verified.has(address.split('@')[1] ?? '');
  }
}

/** The address of `Name <address>`, or the string itself, in lower case. */
const addressOf = (value: string) => value.replace(/^.*</, '').replace(/>.*$/, '').trim().toLowerCase();
