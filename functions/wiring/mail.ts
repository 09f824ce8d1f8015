import { documentClient, sesClient } from '../adapters/aws-clients.js';
import { DynamoSentEmails } from '../adapters/dynamo/sent-emails.js';
import { SesMailer } from '../adapters/mailer.js';
import { envNames, requireEnv } from '../runtime/env.js';
import { systemClock } from './clock.js';
import { tableName } from './stores.js';

export const mailer = () => new SesMailer(sesClient(), new DynamoSentEmails(documentClient(), tableName()), requireEnv(envNames.mailFrom), systemClock.now);
export { seller } from './seller.js';
export const publicBaseUrl = () => requireEnv(envNames.publicBaseUrl);
