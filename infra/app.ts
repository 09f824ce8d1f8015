import { App } from 'aws-cdk-lib';
import { PurchaseOrderStack } from './po-stack.js';

/** The single definition of the product, deployed by `cdk deploy` and run locally by `npm start`. */
const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) ?? undefined;

new PurchaseOrderStack(app, context('stackName') ?? 'PurchaseOrders', {
  description: 'Purchase-order workflow for B2B sellers',
  mailFrom: context('mailFrom') ?? 'orders@seller.example',
  ...(context('publicBaseUrl') ? { publicBaseUrl: context('publicBaseUrl')! } : {}),
  ...(context('sellerProfile') ? { sellerProfile: context('sellerProfile')! } : {}),
  ...(context('adminEmail') ? { adminEmail: context('adminEmail')! } : {}),
  ...(context('alarmEmail') ? { alarmEmail: context('alarmEmail')! } : {}),
});

app.synth();
