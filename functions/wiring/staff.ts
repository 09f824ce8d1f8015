import { cognitoClient } from '../adapters/aws-clients.js';
import { cognitoSignIn, type StaffSignIn } from '../adapters/staff-sign-in.js';
import { cognitoStaffDirectory } from '../adapters/staff-directory.js';
import type { StaffDirectory } from '../app/staff.js';
import { cognitoStaffTokens, type StaffTokenVerifier } from '../adapters/staff-tokens.js';
import { envNames, requireEnv } from '../runtime/env.js';

let verifier: StaffTokenVerifier | undefined;

/** The staff token verifier of this function, built on first use (its key cache lives with it). */
export const staffTokens = (): StaffTokenVerifier =>
  (verifier ??= cognitoStaffTokens({
    userPoolId: requireEnv(envNames.userPoolId),
    clientId: requireEnv(envNames.userPoolClientId),
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ? { endpoint: process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER } : {}),
  }));

export const staffSignIn = (): StaffSignIn => cognitoSignIn(cognitoClient(), requireEnv(envNames.userPoolClientId));
export const staffDirectory = (): StaffDirectory => cognitoStaffDirectory(cognitoClient(), requireEnv(envNames.userPoolId), requireEnv(envNames.userPoolClientId));
