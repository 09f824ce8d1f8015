import { App } from 'aws-cdk-lib';
import { PurchaseOrderStack } from './po-stack.js';

/** The single definition of the product, deployed by `cdk deploy` and run locally by `npm start`. */
const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) ?? undefined;

// A deployment mails from the seller's own verified address and prints the seller's own name and
// bank details on every invoice; the example seller is for demos and the local stack only.
const demo = context('demo') === 'true';
const missing = [context('mailFrom') ? null : 'mailFrom=<a sender SES has verified, e.g. orders@your-company.com>', context('sellerProfile') ? null : "sellerProfile='<JSON: the seller's legal name, address, tax id and bank details>'"].filter(Boolean);
if (!demo && missing.length) {
  throw new Error(`Set ${missing.map((m) => `-c ${m}`).join(' and ')} (or -c demo=true to run with the example seller, as the local stack does). See the README, "Deploying".`);
}

new PurchaseOrderStack(app, context('stackName') ?? 'PurchaseOrders', {
  description: 'Purchase-order workflow for B2B sellers',
  mailFrom: context('mailFrom') ?? 'orders@seller.example',
  ...(context('senderIdentity') === 'false' ? { senderIdentity: false } : {}),
  ...(context('publicBaseUrl') ? { publicBaseUrl: context('publicBaseUrl')! } : {}),
  ...(context('sellerProfile') ? { sellerProfile: context('sellerProfile')! } : {}),
  ...(context('adminEmail') ? { adminEmail: context('adminEmail')! } : {}),
  ...(context('alarmEmail') ? { alarmEmail: context('alarmEmail')! } : {}),
  ...(context('peppolAccessPointUrl') && context('peppolAccessPointTokenSecretArn')
    ? { peppolAccessPoint: { url: context('peppolAccessPointUrl')!, tokenSecretArn: context('peppolAccessPointTokenSecretArn')! } }
    : {}),
});

app.synth();
