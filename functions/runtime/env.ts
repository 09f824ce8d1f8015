/**
 * The environment variables the functions read, named once for the CDK app (which sets them) and
 * the handlers (which read them). A missing one fails at start with its name.
 */
export const envNames = {
  table: 'TABLE_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  checkoutKeySecret: 'CHECKOUT_KEY_SECRET_ARN',
  financeKeySecret: 'FINANCE_KEY_SECRET_ARN',
  linkSigningSecret: 'LINK_SIGNING_SECRET_ARN',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  mailFrom: 'MAIL_FROM',
  sellerProfile: 'SELLER_PROFILE',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  attachmentsBucket: 'ATTACHMENTS_BUCKET',
  eventBusName: 'EVENT_BUS_NAME',
  deliveryStateMachineArn: 'DELIVERY_STATE_MACHINE_ARN',
  webhookKeyArn: 'WEBHOOK_KEY_ARN',
  replayStateMachineArn: 'REPLAY_STATE_MACHINE_ARN',
  peppolAccessPointUrl: 'PEPPOL_ACCESS_POINT_URL',
  peppolAccessPointTokenSecret: 'PEPPOL_ACCESS_POINT_TOKEN_SECRET_ARN',
} as const;

export type EnvName = (typeof envNames)[keyof typeof envNames];

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`missing environment variable ${name}`);
  }
  return value;
}

/**
 * Secrets whose values the local stack serves from the developer's environment (with a dev default),
 * keyed by the variable that carries the secret's ARN. On AWS the values are generated secrets.
 */
export const localSecretValues: Record<string, { env: string; devDefault: string | null }> = {
  [envNames.checkoutKeySecret]: { env: 'PO_CHECKOUT_KEY', devDefault: 'dev-checkout-key' },
  [envNames.financeKeySecret]: { env: 'PO_FINANCE_KEY', devDefault: 'dev-finance-key' },
  // No default: the local stack generates one per data directory and keeps it there.
  [envNames.linkSigningSecret]: { env: 'PO_LINK_SIGNING_KEY', devDefault: null },
};
