import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PurchaseOrderStack } from '../../infra/po-stack.js';

/**
 * Who may do what in the template: the staff user pool (second factor, short tokens, revocation),
 * the key that seals webhook secrets (the delivery function alone opens them), the authorizer's
 * narrow read of the policy, and nothing account-wide destroyed with the stack.
 */
let template: Template;
/** An app that synthesizes without bundling the functions: for stacks that vary only their settings. */
const unbundled = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
beforeAll(() => {
  template = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Trust', { mailFrom: 'orders@seller.example' }));
}, 120_000);

/** The functions (by logical id) whose role's policy has a statement for `action`, with its statements. */
function granted(action: string): { fn: string; statement: Record<string, unknown> }[] {
  const functions = template.findResources('AWS::Lambda::Function');
  const roleOf = (role: string) => Object.entries(functions).find(([, f]) => (f.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] === role)?.[0] ?? role;
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .filter((statement) => ([] as unknown[]).concat(statement.Action).includes(action))
      .flatMap((statement) => (policy.Properties.Roles as { Ref: string }[]).map((role) => ({ fn: roleOf(role.Ref), statement }))),
  );
}

describe('trust in the template', () => {
  it('signs staff in with a user pool of its own: groups finance and reviewer, no self sign-up, the authorizer knows the pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['finance', 'reviewer']);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']), GenerateSecret: false });
    // Staff cannot rename themselves; tokens live 15 minutes, renewed for a 10-hour day unless revoked at sign-out.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: [], AccessTokenValidity: 15, IdTokenValidity: 15, RefreshTokenValidity: 600, EnableTokenRevocation: true });
    template.hasResourceProperties('AWS::Cognito::UserPool', { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] }, MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('staff by their ID tokens'),
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: Match.anyValue(), USER_POOL_CLIENT_ID: Match.anyValue() }) },
    });
    // The first finance user is invited only when the deployer names one.
    expect(Object.keys(template.findResources('AWS::Cognito::UserPoolUser'))).toEqual([]);
    const withAdmin = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Admin', { mailFrom: 'orders@seller.example', adminEmail: 'cfo@seller.example' }));
    withAdmin.hasResourceProperties('AWS::Cognito::UserPoolUser', { Username: 'cfo@seller.example', DesiredDeliveryMediums: ['EMAIL'] });
    withAdmin.hasResourceProperties('AWS::Cognito::UserPoolUserToGroupAttachment', { GroupName: 'finance', Username: 'cfo@seller.example' });
  });

  it('seals webhook secrets with a rotating key of its own: the API and the console may seal, the delivery function alone may open', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    const opens = granted('kms:Decrypt').map((g) => g.fn);
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatch(/^DeliverWebhook/);
    expect(granted('kms:Encrypt').map((g) => g.fn.replace(/[A-F0-9]{8}$/, '')).sort()).toEqual(['Console', 'WebhookEndpoints']);
    for (const { statement } of [...granted('kms:Decrypt'), ...granted('kms:Encrypt')]) {
      expect(statement.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing' } });
    }
  });

  it("gives the authorizer a read of the policy item alone, and keeps API Gateway's account-wide logging role when the stack goes", () => {
    const reads = granted('dynamodb:GetItem').filter((g) => g.fn.startsWith('Authorizer'));
    expect(reads.map((g) => g.statement.Condition)).toEqual([{ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['POLICY'] } }]);
    const role = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ApiCloudWatchRole'));
    expect(role?.[1]).toMatchObject({ DeletionPolicy: 'Retain' });
  });
});
