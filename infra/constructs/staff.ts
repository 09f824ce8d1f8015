import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';

import { STAFF_SESSION_HOURS, STAFF_TOKEN_MINUTES, staffGroups } from '../../functions/app/staff.js';

export interface StaffProps {
  /** The first finance user, invited by email on deploy (`cdk deploy -c adminEmail=...`). */
  adminEmail?: string;
}

/**
 * The people who work in the back office: a Cognito user pool with the groups `finance` and
 * `reviewer`, and one app client for the console, which signs people in server-side with their email
 * and password (no secret in a browser). Only finance invites people (no self sign-up).
 */
export class Staff extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'purchase-order-staff',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: false, requireDigits: false, requireSymbols: false, tempPasswordValidity: Duration.days(7) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // An email change waits for the new address to be verified; until then the old one stays (and signs in).
      keepOriginal: { email: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: 'Your purchase-order back office account',
        emailBody: 'You have been invited to the purchase-order back office. Sign in with {username} and the temporary password {####}.',
      },
    });
    acknowledge(this.userPool, {
      'AwsSolutions-COG1':
        'Passwords of at least 12 characters without composition rules, as NIST SP 800-63B advises; composition rules make passwords shorter in practice.',
      'AwsSolutions-COG2':
        'MFA (authenticator apps) is optional at the pool and required by the app for finance, and for reviewers when the policy says so: the console and the authorizer refuse those roles without it.',
      'AwsSolutions-COG3': 'Threat protection is a paid plan the seller may enable; the console locks nothing out by itself.',
      'AwsSolutions-COG8': "The Essentials plan covers sign-in for a handful of staff; the Plus plan is the seller's choice per deployment.",
    });
    this.client = this.userPool.addClient('Console', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: { userPassword: true },
      preventUserExistenceErrors: true,
      // Short tokens, renewed by the console for a working day; signing out revokes the refresh token.
      idTokenValidity: Duration.minutes(STAFF_TOKEN_MINUTES),
      accessTokenValidity: Duration.minutes(STAFF_TOKEN_MINUTES),
      refreshTokenValidity: Duration.hours(STAFF_SESSION_HOURS),
      enableTokenRevocation: true,
      // Signed-in staff may read their attributes but write none: their email is who they are in the
      // history, so only finance changes it (AdminUpdateUserAttributes), never the person themselves.
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }),
      writeAttributes: new cognito.ClientAttributes(),
    });
    for (const group of staffGroups) {
      new cognito.CfnUserPoolGroup(this, `Group${group[0]!.toUpperCase()}${group.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === 'finance' ? 'Finance: payments, review, policy, staff' : 'Reviewers: approve or reject purchase orders',
      });
    }
    if (props.adminEmail) {
      const admin = new cognito.CfnUserPoolUser(this, 'FirstFinanceUser', {
        userPoolId: this.userPool.userPoolId,
        username: props.adminEmail,
        userAttributes: [
          { name: 'email', value: props.adminEmail },
          { name: 'email_verified', value: 'true' },
        ],
        desiredDeliveryMediums: ['EMAIL'],
      });
      const membership = new cognito.CfnUserPoolUserToGroupAttachment(this, 'FirstFinanceUserGroup', {
        userPoolId: this.userPool.userPoolId,
        groupName: 'finance',
        username: props.adminEmail,
      });
      membership.addDependency(admin);
      membership.node.addDependency(this.node.findChild('GroupFinance'));
    }
    new CfnOutput(scope, 'StaffUserPoolId', { value: this.userPool.userPoolId });
  }
}
