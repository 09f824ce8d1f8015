import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Reads what `cdk synth` produced (the template and its assets) into what the local stack runs:
 * tables, functions with their bundles and environment, the state machine's ASL, the API's routes
 * and the secrets. CloudFormation intrinsics are resolved to local names and ARNs.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
}
interface Template {
  Resources: Record<string, CfnResource>;
}

export interface LocalTable {
  logicalId: string;
  name: string;
  keySchema: { AttributeName: string; KeyType: string }[];
  attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  globalSecondaryIndexes: { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[]; Projection: Json }[];
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** Absolute path of the bundled file and the export to call. */
  file: string;
  exportName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** The execution role's logical id (its statements are in `roles`). */
  role: string | null;
}

/** An IAM policy statement as the template has it, intrinsics resolved to local names and ARNs. */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface LocalRole {
  logicalId: string;
  /** Every statement of the role's inline policies and of the AWS::IAM::Policy resources attached to it. */
  statements: PolicyStatement[];
  /** AWS-managed policies the template attaches by ARN; the local stack knows none of their statements. */
  managedPolicyArns: string[];
}

export interface LocalRoute {
  method: string;
  /** e.g. /purchase-orders/{id} */
  resourcePath: string;
  functionName: string;
  /** A Lambda REQUEST authorizer in front of the route, and the header it reads. */
  authorizer?: { functionName: string; header: string; ttlSeconds: number };
  /** The JSON Schema (draft 4) of the method's `application/json` request model, when its validator checks bodies. */
  bodyModel?: Json;
}

export interface LocalGatewayResponse {
  type: string;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface LocalStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  definition: Record<string, unknown>;
}

export interface LocalSecret {
  logicalId: string;
  arn: string;
  name: string;
}

export interface LocalUserPool {
  logicalId: string;
  name: string;
  /** `validity`: the tokens' lives as the template sets them (AccessTokenValidity, IdTokenValidity, RefreshTokenValidity, TokenValidityUnits). */
  clients: { logicalId: string; name: string; authFlows: string[]; validity: Record<string, unknown> }[];
  groups: string[];
  /** OFF, OPTIONAL or ON; with authenticator apps (TOTP) when the template enables them. */
  mfa: { configuration: string; totp: boolean };
}

/** A schedule of EventBridge Scheduler that invokes a function at a fixed rate. */
export interface LocalSchedule {
  logicalId: string;
  /** e.g. rate(5 minutes) */
  expression: string;
  everySeconds: number;
  functionName: string;
  input: unknown;
}

export interface LocalAssembly {
  stackName: string;
  tables: LocalTable[];
  functions: LocalFunction[];
  routes: LocalRoute[];
  binaryMediaTypes: string[];
  gatewayResponses: LocalGatewayResponse[];
  stateMachines: LocalStateMachine[];
  /** EventBridge buses: PutEvents to them is checked and kept (nothing routes them further locally). */
  eventBuses: { logicalId: string; name: string; arn: string }[];
  secrets: LocalSecret[];
  /** Customer-managed KMS keys, by ARN. */
  kmsKeys: string[];
  userPools: LocalUserPool[];
  buckets: string[];
  /** The SES identities the template declares (addresses or domains), verified as a deployer would verify them. */
  sesIdentities: string[];
  schedules: LocalSchedule[];
  roles: LocalRole[];
}

/**
 * `refs` gives the local value of a resource's Ref where only a running emulator knows it (a user
 * pool's id, its client's id); everything else resolves from the template alone.
 */
export function readAssembly(cdkOut: string, stackName: string, refs: Record<string, string> = {}): LocalAssembly {
  const template = JSON.parse(readFileSync(path.join(cdkOut, `${stackName}.template.json`), 'utf8')) as Template;
  const resources = template.Resources;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;

  const props = (id: string) => resources[id]?.Properties ?? {};
  const stateMachineName = (id: string) => (props(id).StateMachineName as string | undefined) ?? id;

  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::NoValue': '',
  };

  const ref = (id: string): string => {
    if (id in pseudo) return pseudo[id]!;
    if (id in refs) return refs[id]!;
    const resource = resources[id];
    if (!resource) throw new Error(`template refers to unknown resource ${id}`);
    switch (resource.Type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return (props(id).TableName as string | undefined) ?? id;
      case 'AWS::Lambda::Function':
        return (props(id).FunctionName as string | undefined) ?? id;
      case 'AWS::SecretsManager::Secret':
        return arn('secretsmanager', `secret:${id}`);
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${stateMachineName(id)}`);
      case 'AWS::Events::EventBus':
        return (props(id).Name as string | undefined) ?? id;
      case 'AWS::S3::Bucket':
        // S3 bucket names are lower case.
        return (props(id).BucketName as string | undefined) ?? id.toLowerCase();
      default:
        return id;
    }
  };

  const getAtt = (id: string, attribute: string): string => {
    const resource = resources[id];
    if (!resource) throw new Error(`template refers to unknown resource ${id}`);
    if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') return arn('lambda', `function:${ref(id)}`);
    if (resource.Type.startsWith('AWS::DynamoDB::') && attribute === 'Arn') return arn('dynamodb', `table/${ref(id)}`);
    if (resource.Type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return stateMachineName(id);
    if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn') return arn('iam', `role/${id}`);
    if (resource.Type === 'AWS::Events::EventBus' && attribute === 'Arn') return arn('events', `event-bus/${ref(id)}`);
    if (resource.Type === 'AWS::Events::EventBus' && attribute === 'Name') return ref(id);
    if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${ref(id)}`;
    if (resource.Type === 'AWS::Cognito::UserPool' && attribute === 'Arn') return arn('cognito-idp', `userpool/${ref(id)}`);
    if (resource.Type === 'AWS::SecretsManager::Secret' && attribute === 'Id') return ref(id);
    if (resource.Type === 'AWS::KMS::Key' && attribute === 'Arn') return arn('kms', `key/${ref(id)}`);
    return `${id}.${attribute}`;
  };

  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = value[key]!;
      if (key === 'Ref') return ref(arg as string);
      if (key === 'Fn::GetAtt') {
        const [id, attribute] = Array.isArray(arg) ? (arg as string[]) : (arg as string).split('.');
        return getAtt(id!, attribute!);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = arg as [string, Json[]];
        return (resolve(parts) as Json[]).map(String).join(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = arg as [number, Json];
        return (resolve(list) as Json[])[Number(index)] ?? null;
      }
      if (key === 'Fn::Split') {
        const [separator, source] = arg as [string, Json];
        return String(resolve(source)).split(separator);
      }
      if (key === 'Fn::Sub') {
        const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, Json>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (vars[name] !== undefined) return String(resolve(vars[name]!));
          return name.includes('.') ? getAtt(...(name.split('.') as [string, string])) : ref(name);
        });
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  };

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  const tables: LocalTable[] = [...ofType('AWS::DynamoDB::GlobalTable'), ...ofType('AWS::DynamoDB::Table')].map(([id, r]) => {
    const p = resolve(r.Properties ?? {}) as Record<string, Json>;
    return {
      logicalId: id,
      name: ref(id),
      keySchema: p.KeySchema as LocalTable['keySchema'],
      attributeDefinitions: p.AttributeDefinitions as LocalTable['attributeDefinitions'],
      globalSecondaryIndexes: ((p.GlobalSecondaryIndexes as Json[] | undefined) ?? []).map((g) => {
        const gsi = g as Record<string, Json>;
        return { IndexName: gsi.IndexName as string, KeySchema: gsi.KeySchema as LocalTable['keySchema'], Projection: gsi.Projection ?? { ProjectionType: 'ALL' } };
      }),
    };
  });

  const functions: LocalFunction[] = ofType('AWS::Lambda::Function').flatMap(([id, r]) => {
    const assetPath = r.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') return []; // not one of ours (e.g. a CDK helper with inline code)
    const p = resolve(r.Properties ?? {}) as Record<string, Json>;
    const handler = String(p.Handler ?? 'index.handler');
    const dot = handler.lastIndexOf('.');
    const environment = ((p.Environment as Record<string, Json> | undefined)?.Variables ?? {}) as Record<string, string>;
    return [
      {
        logicalId: id,
        name: ref(id),
        arn: getAtt(id, 'Arn'),
        file: path.join(path.resolve(cdkOut), assetPath, `${handler.slice(0, dot)}.js`),
        exportName: handler.slice(dot + 1),
        environment,
        timeoutSeconds: Number(p.Timeout ?? 3),
        role: ((r.Properties?.Role as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt']?.[0] as string | undefined) ?? null,
      },
    ];
  });

  // API Gateway (REST): rebuild each method's path from its resource chain.
  const resourcePath = (id: string | undefined): string => {
    if (!id || resources[id]?.Type !== 'AWS::ApiGateway::Resource') return '';
    const p = resources[id]!.Properties!;
    const parent = p.ParentId as { Ref?: string; 'Fn::GetAtt'?: string[] };
    return `${resourcePath(parent.Ref)}/${p.PathPart as string}`;
  };
  const routes: LocalRoute[] = ofType('AWS::ApiGateway::Method').flatMap(([, r]) => {
    const p = r.Properties!;
    const integration = p.Integration as Record<string, Json> | undefined;
    if (!integration || integration.Type !== 'AWS_PROXY') return [];
    const uri = String(resolve(integration.Uri!));
    const match = /function:([^/:]+)/.exec(uri);
    if (!match) return [];
    const resourceRef = (p.ResourceId as { Ref?: string }).Ref;
    const authorizerId = (p.AuthorizerId as { Ref?: string } | undefined)?.Ref;
    const authorizerProps = authorizerId ? resources[authorizerId]?.Properties : undefined;
    const authorizer = authorizerProps
      ? {
          functionName: /function:([^/:]+)/.exec(String(resolve(authorizerProps.AuthorizerUri!)))![1]!,
          header: String(authorizerProps.IdentitySource ?? '').replace('method.request.header.', ''),
          ttlSeconds: Number(authorizerProps.AuthorizerResultTtlInSeconds ?? 300),
        }
      : undefined;
    const validatorId = (p.RequestValidatorId as { Ref?: string } | undefined)?.Ref;
    const modelId = ((p.RequestModels as Record<string, { Ref?: string }> | undefined)?.['application/json'])?.Ref;
    const bodyModel = validatorId && resources[validatorId]?.Properties?.ValidateRequestBody && modelId ? resources[modelId]?.Properties?.Schema : undefined;
    return [
      {
        method: String(p.HttpMethod),
        resourcePath: resourcePath(resourceRef) || '/',
        functionName: match[1]!,
        ...(authorizer ? { authorizer } : {}),
        ...(bodyModel ? { bodyModel: resolve(bodyModel) } : {}),
      },
    ];
  });
  const gatewayResponses: LocalGatewayResponse[] = ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => {
    const p = r.Properties!;
    const headers = Object.fromEntries(
      Object.entries((p.ResponseParameters ?? {}) as Record<string, string>).map(([k, v]) => [k.replace('gatewayresponse.header.', ''), v.replace(/^'|'$/g, '')]),
    );
    return { type: String(p.ResponseType), statusCode: Number(p.StatusCode), headers, body: String((p.ResponseTemplates as Record<string, string> | undefined)?.['application/json'] ?? '') };
  });
  const sesIdentities = ofType('AWS::SES::EmailIdentity').map(([, r]) => String(resolve(r.Properties?.EmailIdentity ?? '')).toLowerCase());
  const binaryMediaTypes = ofType('AWS::ApiGateway::RestApi').flatMap(([, r]) => (r.Properties?.BinaryMediaTypes as string[] | undefined) ?? []);

  const stateMachines: LocalStateMachine[] = ofType('AWS::StepFunctions::StateMachine').map(([id, r]) => {
    const definition = resolve(r.Properties!.DefinitionString!);
    return { logicalId: id, name: stateMachineName(id), arn: ref(id), definition: JSON.parse(String(definition)) as Record<string, unknown> };
  });

  const secrets: LocalSecret[] = ofType('AWS::SecretsManager::Secret').map(([id]) => ({ logicalId: id, arn: ref(id), name: id }));
  const kmsKeys = ofType('AWS::KMS::Key').map(([id]) => getAtt(id, 'Arn'));

  const refersTo = (value: Json | undefined, id: string) => (value as { Ref?: string } | undefined)?.Ref === id;
  const userPools: LocalUserPool[] = ofType('AWS::Cognito::UserPool').map(([id, r]) => ({
    logicalId: id,
    name: String(r.Properties?.UserPoolName ?? id),
    clients: ofType('AWS::Cognito::UserPoolClient')
      .filter(([, c]) => refersTo(c.Properties?.UserPoolId, id))
      .map(([clientId, c]) => ({
        logicalId: clientId,
        name: String(c.Properties?.ClientName ?? clientId),
        authFlows: (c.Properties?.ExplicitAuthFlows as string[] | undefined) ?? [],
        validity: Object.fromEntries(['AccessTokenValidity', 'IdTokenValidity', 'RefreshTokenValidity', 'TokenValidityUnits'].filter((key) => c.Properties?.[key] !== undefined).map((key) => [key, c.Properties![key]])),
      })),
    groups: ofType('AWS::Cognito::UserPoolGroup')
      .filter(([, g]) => refersTo(g.Properties?.UserPoolId, id))
      .map(([, g]) => String(g.Properties!.GroupName)),
    mfa: {
      configuration: String(r.Properties?.MfaConfiguration ?? 'OFF'),
      totp: ((r.Properties?.EnabledMfas as string[] | undefined) ?? []).includes('SOFTWARE_TOKEN_MFA'),
    },
  }));

  const buckets = ofType('AWS::S3::Bucket').map(([id]) => ref(id));
  const eventBuses = ofType('AWS::Events::EventBus').map(([id]) => ({ logicalId: id, name: ref(id), arn: getAtt(id, 'Arn') }));

  const units: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 };
  const schedules: LocalSchedule[] = ofType('AWS::Scheduler::Schedule').flatMap(([id, r]) => {
    const p = resolve(r.Properties ?? {}) as Record<string, Json>;
    if (p.State === 'DISABLED') return [];
    const expression = String(p.ScheduleExpression);
    const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
    if (!rate) throw new Error(`schedule ${id}: the local stack runs rate(...) schedules only, not ${expression}`);
    const target = p.Target as Record<string, Json>;
    const fn = /function:([^/:]+)$/.exec(String(target.Arn));
    if (!fn) throw new Error(`schedule ${id}: the local stack runs schedules that invoke a function, not ${String(target.Arn)}`);
    const input = target.Input === undefined ? {} : (JSON.parse(String(target.Input)) as unknown);
    return [{ logicalId: id, expression, everySeconds: Number(rate[1]) * units[rate[2]!]!, functionName: fn[1]!, input }];
  });

  const statementsOf = (document: Json | undefined): PolicyStatement[] => {
    const list = (resolve(document ?? {}) as { Statement?: Json }).Statement ?? [];
    return (Array.isArray(list) ? list : [list]) as unknown as PolicyStatement[];
  };
  const roles: LocalRole[] = ofType('AWS::IAM::Role').map(([id, r]) => ({
    logicalId: id,
    statements: [
      ...((r.Properties?.Policies as { PolicyDocument: Json }[] | undefined) ?? []).flatMap((policy) => statementsOf(policy.PolicyDocument)),
      ...ofType('AWS::IAM::Policy')
        .filter(([, policy]) => ((policy.Properties?.Roles as { Ref?: string }[] | undefined) ?? []).some((role) => role.Ref === id))
        .flatMap(([, policy]) => statementsOf(policy.Properties!.PolicyDocument)),
    ],
    managedPolicyArns: ((resolve(r.Properties?.ManagedPolicyArns ?? []) as Json[]) ?? []).map(String),
  }));

  return { stackName, tables, functions, routes, binaryMediaTypes, gatewayResponses, stateMachines, secrets, kmsKeys, userPools, buckets, sesIdentities, eventBuses, schedules, roles };
}
