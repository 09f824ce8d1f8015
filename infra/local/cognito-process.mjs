// @ts-check
/**
 * cognito-local in a process of its own. It keeps its data under `.cognito` in its working directory
 * and reads PORT and HOST when it loads, so both are set before it is required. It stops when the
 * stack that started it goes away, however that happens (the IPC channel closes even on SIGKILL).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [port, dataDir, offsetMs, issuerDomain] = process.argv.slice(2);

// The stack's clock (see clock.ts): tokens are issued at the time the functions that verify them see.
let offset = Number(offsetMs ?? 0);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
class ShiftedDate extends RealDate {
  /** @param {any[]} args */
  constructor(...args) {
    if (args.length === 0) super(realNow() + offset);
    // @ts-ignore: the Date constructor's overloads
    else super(...args);
  }
  static now() {
    // An authenticator app on a phone knows only real time: its codes (otplib) are checked against that.
    if (offset !== 0 && new Error().stack?.includes('otplib')) return realNow();
    return realNow() + offset;
  }
}
globalThis.Date = /** @type {DateConstructor} */ (/** @type {unknown} */ (ShiftedDate));

mkdirSync(String(dataDir), { recursive: true });
process.chdir(String(dataDir));
// Tokens name the endpoint the functions reach Cognito at (the stack's AWS front door, which checks
// their calls against their roles and passes them on here) as their issuer, as AWS's do.
if (issuerDomain) {
  mkdirSync('.cognito', { recursive: true });
  const file = '.cognito/config.json';
  const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...config, TokenConfig: { ...config.TokenConfig, IssuerDomain: issuerDomain } }, null, 2));
}
// What the user pool has and cognito-local lacks, that the console calls: AdminSetUserMFAPreference
// (finance turns off a colleague's lost authenticator app; they set up a new one at next sign-in).
// The same checks as cognito-local's own SetUserMFAPreference, on the user named by the admin.
const { Targets } = require('cognito-local/lib/targets/targets');
const { InvalidParameterError, UserNotFoundError } = require('cognito-local/lib/errors');
/** @param {{ cognito: any }} services */
Targets.AdminSetUserMFAPreference = ({ cognito }) => async (/** @type {any} */ ctx, /** @type {any} */ req) => {
  const userPool = await cognito.getUserPool(ctx, req.UserPoolId);
  const user = await userPool.getUserByUsername(ctx, req.Username);
  if (!user) throw new UserNotFoundError('User does not exist.');
  const software = req.SoftwareTokenMfaSettings;
  if (software?.Enabled && !user.SoftwareTokenMfaConfiguration?.Verified) throw new InvalidParameterError('User has not verified software token MFA');
  const methods = new Set(user.UserMFASettingList ?? []);
  if (software) software.Enabled ? methods.add('SOFTWARE_TOKEN_MFA') : methods.delete('SOFTWARE_TOKEN_MFA');
  const preferred = software?.PreferredMfa ? 'SOFTWARE_TOKEN_MFA' : undefined;
  if (preferred && !methods.has(preferred)) throw new InvalidParameterError(`Cannot set ${preferred} as preferred: it is not enabled`);
  await userPool.saveUser(ctx, { ...user, UserMFASettingList: [...methods], PreferredMfaSetting: preferred });
  return {};
};

process.env.PORT = String(port);
process.env.HOST = '127.0.0.1';
const pino = require('pino');
const { createDefaultServer } = require('cognito-local/lib/server');
const server = await createDefaultServer(pino({ level: 'warn' }));
const http = await server.start();
process.send?.({ ready: true });
process.on('disconnect', () => http.close(() => process.exit(0)));
process.on('message', (/** @type {{ stop?: boolean, offsetMs?: number }} */ message) => {
  if (message.stop) http.close(() => process.exit(0));
  if (message.offsetMs !== undefined) {
    offset = message.offsetMs;
    process.send?.({ offsetMs: offset });
  }
});
