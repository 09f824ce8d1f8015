import type { AddressRules } from '../app/webhook-addresses.js';

/**
 * Which hosts may receive webhooks: https to public addresses; plain http to this machine only when
 * the local stack's launcher says so (the deployed template never sets it).
 */
export const addressRules = (): AddressRules => ({ loopbackHttp: process.env.PO_LOCAL_LOOPBACK_WEBHOOKS === '1' });
