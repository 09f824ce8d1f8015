import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type ExplicitAuthFlowsType,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  type UserPoolMfaType,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_REGION, type LocalUserPool } from './assembly.js';

/**
 * Cognito for the local stack: cognito-local in a process of its own, with the template's user pools,
 * clients and groups created in it once per data directory (there is no CloudFormation here), and the
 * two staff of the contract seeded. The ids it chose are kept, and the template's Refs to the pool
 * and its client resolve to them.
 */
export const seededStaff = [
  { email: 'finance@seller.example', group: 'finance' },
  { email: 'reviewer@seller.example', group: 'reviewer' },
] as const;

export interface LocalCognito {
  url: string;
  /** Local ids by the template's logical ids, for the template's Refs. */
  refs: Record<string, string>;
  /** Moves Cognito's clock with the stack's (tokens are issued at the time the functions see). */
  setOffset: (offsetMs: number) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startLocalCognito(options: {
  port: number;
  dataDir: string;
  pools: LocalUserPool[];
  staffPassword: string;
  offsetMs: number;
  /** The issuer's domain in the tokens: where the functions reach Cognito. */
  issuerDomain: string;
}): Promise<LocalCognito> {
  const dir = path.join(options.dataDir, 'cognito');
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'cognito-process.mjs'), [String(options.port), dir, String(options.offsetMs), options.issuerDomain], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
    env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the embedded Cognito exited (${code}); is port ${options.port} free?`)));
  });
  const url = `http://127.0.0.1:${options.port}`;
  const idsFile = path.join(dir, 'ids.json');
  const refs = existsSync(idsFile) ? (JSON.parse(readFileSync(idsFile, 'utf8')) as Record<string, string>) : {};
  const client = new CognitoIdentityProviderClient({ endpoint: url, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const pool of options.pools) {
      if (refs[pool.logicalId]) continue;
      const created = await client.send(new CreateUserPoolCommand({ PoolName: pool.name, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
      const poolId = created.UserPool!.Id!;
      for (const group of pool.groups) await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
      for (const app of pool.clients) {
        const made = await client.send(
          new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: app.name, ExplicitAuthFlows: app.authFlows as ExplicitAuthFlowsType[] }),
        );
        refs[app.logicalId] = made.UserPoolClient!.ClientId!;
      }
      // The contract's two staff, from the first start on.
      for (const staff of seededStaff.filter((s) => pool.groups.includes(s.group))) {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: staff.email,
            UserAttributes: [
              { Name: 'email', Value: staff.email },
              { Name: 'email_verified', Value: 'true' },
            ],
            MessageAction: 'SUPPRESS',
          }),
        );
        await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: staff.email, Password: options.staffPassword, Permanent: true }));
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: staff.email, GroupName: staff.group }));
      }
      refs[pool.logicalId] = poolId;
      writeFileSync(idsFile, JSON.stringify(refs, null, 2));
    }
    // Each start: the pool's MFA and its clients' token lives as the template has them now (it may have changed since they were made).
    for (const pool of options.pools) {
      for (const app of pool.clients) {
        await client.send(
          new UpdateUserPoolClientCommand({ UserPoolId: refs[pool.logicalId], ClientId: refs[app.logicalId], ClientName: app.name, ExplicitAuthFlows: app.authFlows as ExplicitAuthFlowsType[], ...app.validity }),
        );
      }
      await client.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: refs[pool.logicalId], MfaConfiguration: pool.mfa.configuration as UserPoolMfaType, SoftwareTokenMfaConfiguration: { Enabled: pool.mfa.totp } }),
      );
    }
  } finally {
    client.destroy();
  }
  const setOffset = (offsetMs: number) =>
    new Promise<void>((resolve) => {
      const onMessage = (message: { offsetMs?: number }) => {
        if (message.offsetMs !== offsetMs) return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.send({ offsetMs });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send({ stop: true });
    });
  return { url, refs, setOffset, stop };
}
