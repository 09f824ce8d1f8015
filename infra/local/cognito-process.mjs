// @ts-check
/**
 * cognito-local in a process of its own. It keeps its data under `.cognito` in its working directory
 * and reads PORT and HOST when it loads, so both are set before it is required. It stops when the
 * stack that started it goes away, however that happens (the IPC channel closes even on SIGKILL).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [port, dataDir] = process.argv.slice(2);
mkdirSync(String(dataDir), { recursive: true });
process.chdir(String(dataDir));
process.env.PORT = String(port);
process.env.HOST = '127.0.0.1';
const pino = require('pino');
const { createDefaultServer } = require('cognito-local/lib/server');
const server = await createDefaultServer(pino({ level: 'warn' }));
const http = await server.start();
process.send?.({ ready: true });
process.on('disconnect', () => http.close(() => process.exit(0)));
process.on('message', (/** @type {{ stop?: boolean }} */ message) => {
  if (message.stop) http.close(() => process.exit(0));
});
