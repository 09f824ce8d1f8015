import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SfnError, type LocalStepFunctions } from './stepfunctions.js';

/**
 * The AWS JSON-protocol endpoint of the local stack for the services that have no emulator package:
 * Step Functions (ours) and Secrets Manager's GetSecretValue. The SDK reaches it through
 * AWS_ENDPOINT_URL_SFN and AWS_ENDPOINT_URL_SECRETS_MANAGER; requests are told apart by X-Amz-Target.
 */
export interface LocalSecretValue {
  arn: string;
  name: string;
  value: string;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function startAwsServices(options: {
  port: number;
  stepFunctions: LocalStepFunctions;
  secrets: LocalSecretValue[];
}): Promise<Server> {
  const { stepFunctions } = options;
  const secretFor = (id: string) => options.secrets.find((s) => s.arn === id || s.name === id);
  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    'AWSStepFunctions.StartExecution': (b) => stepFunctions.startExecution(b as never),
    'AWSStepFunctions.DescribeExecution': (b) => stepFunctions.describeExecution(b as never),
    'AWSStepFunctions.SendTaskSuccess': (b) => stepFunctions.sendTaskSuccess(b as never),
    'AWSStepFunctions.SendTaskFailure': (b) => stepFunctions.sendTaskFailure(b as never),
    'AWSStepFunctions.SendTaskHeartbeat': (b) => stepFunctions.sendTaskHeartbeat(b as never),
    'secretsmanager.GetSecretValue': (b) => {
      const secret = secretFor(String(b.SecretId ?? ''));
      if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: 'local', VersionStages: ['AWSCURRENT'], CreatedDate: 0 };
    },
  };

  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = target.startsWith('secretsmanager.') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': contentType, 'x-amzn-RequestId': 'local' });
      res.end(JSON.stringify(body));
    };
    try {
      const operation = operations[target];
      if (!operation) throw new ServiceError('UnknownOperationException', `the local stack does not implement ${target || 'this operation'}`);
      const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
      reply(200, operation(body));
    } catch (error) {
      if (error instanceof SfnError || error instanceof ServiceError) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}

async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ServiceError('RequestEntityTooLarge', 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
