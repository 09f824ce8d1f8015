import type { LocalFunction, LocalRole, PolicyStatement } from './assembly.js';
import { LOCAL_ACCOUNT } from './assembly.js';

/**
 * IAM for the local stack: each function calls AWS with credentials of its own, and every call is
 * checked against its role's statements in the template, as AWS checks them: an explicit Deny wins,
 * else some Allow must match the action, the resource and the conditions; nothing matching is a
 * denial. So a grant the template lacks fails here, with the AccessDeniedException AWS would give.
 *
 * Conditions: the String and Arn operators (Equals, Like, their Not forms, IfExists), with the
 * ForAllValues and ForAnyValue set qualifiers, over the keys the local stack knows how to fill
 * (dynamodb:LeadingKeys). A condition on any other key is false in an Allow (the grant does not
 * apply) and in a Deny, and is logged, so a new kind of condition is noticed rather than ignored.
 */

/** One check: the action, the resource (any of several ARNs that AWS would accept), the request's condition keys. */
export interface AccessCheck {
  action: string;
  resources: string[];
  context: Record<string, string[]>;
}

export interface Principal {
  /** The function calling, as AWS would name it in a denial. */
  arn: string;
  statements: PolicyStatement[];
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const patterns = new Map<string, RegExp>();
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regex = patterns.get(key);
  if (!regex) {
    regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
    patterns.set(key, regex);
  }
  return regex;
}

const matchesAction = (statement: PolicyStatement, action: string): boolean =>
  statement.Action !== undefined
    ? list(statement.Action).some((pattern) => wildcard(pattern, true).test(action))
    : !list(statement.NotAction).some((pattern) => wildcard(pattern, true).test(action));

const matchesResource = (statement: PolicyStatement, resource: string): boolean =>
  statement.Resource !== undefined
    ? list(statement.Resource).some((pattern) => wildcard(pattern, false).test(resource))
    : !list(statement.NotResource).some((pattern) => wildcard(pattern, false).test(resource));

const operators: Record<string, (value: string, pattern: string) => boolean> = {
  StringEquals: (value, pattern) => value === pattern,
  StringLike: (value, pattern) => wildcard(pattern, false).test(value),
  StringEqualsIgnoreCase: (value, pattern) => value.toLowerCase() === pattern.toLowerCase(),
  ArnEquals: (value, pattern) => value === pattern,
  ArnLike: (value, pattern) => wildcard(pattern, false).test(value),
};

/** One operator block of a Condition, e.g. `ForAllValues:StringLike: { dynamodb:LeadingKeys: [...] }`. */
function conditionHolds(operator: string, key: string, expected: string[], context: Record<string, string[]>): boolean {
  const qualifier = operator.startsWith('ForAllValues:') ? 'all' : operator.startsWith('ForAnyValue:') ? 'any' : 'single';
  let name = operator.replace(/^For(AllValues|AnyValue):/, '');
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const negated = name.includes('Not');
  const base = operators[name.replace('Not', '')];
  if (!base) {
    console.error(JSON.stringify({ level: 'warn', message: 'the local stack does not evaluate this condition operator; it counts as false', operator }));
    return false;
  }
  const values = context[key];
  if (values === undefined) {
    if (qualifier === 'all') return true; // as in AWS: ForAllValues over a missing key holds
    if (!knownKey(key)) console.error(JSON.stringify({ level: 'warn', message: 'the local stack does not fill this condition key; it counts as false', key }));
    return ifExists;
  }
  const test = (value: string) => expected.some((pattern) => base(value, pattern)) !== negated;
  if (qualifier === 'all') return values.every(test);
  if (qualifier === 'any') return values.some(test);
  return values.some(test);
}

/** The condition keys the local stack fills in for the requests it checks. */
const knownKey = (key: string) => key === 'dynamodb:LeadingKeys' || key.startsWith('kms:EncryptionContext:');

function conditionsHold(statement: PolicyStatement, context: Record<string, string[]>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, list(expected), context)),
  );
}

const applies = (statement: PolicyStatement, check: AccessCheck, resource: string) =>
  matchesAction(statement, check.action) && matchesResource(statement, resource) && conditionsHold(statement, check.context);

/** Whether the principal may make the call; the denial's message as AWS words it otherwise. */
export function authorize(principal: Principal, check: AccessCheck): { allowed: true } | { allowed: false; message: string } {
  const resources = check.resources.length ? check.resources : ['*'];
  const denied = resources.every((resource) => principal.statements.some((s) => s.Effect === 'Deny' && applies(s, check, resource)));
  const allowed = !denied && resources.some((resource) => principal.statements.some((s) => s.Effect === 'Allow' && applies(s, check, resource)));
  if (allowed) return { allowed: true };
  const why = denied ? `with an explicit deny in an identity-based policy` : `because no identity-based policy allows the ${check.action} action`;
  return { allowed: false, message: `User: ${principal.arn} is not authorized to perform: ${check.action} on resource: ${resources[0]} ${why}` };
}

/**
 * The principals of the stack: one per function, keyed by the access key id it is given locally.
 * Any other key (the developer's, the tests') is the account's own and may do anything.
 */
export class LocalIam {
  private readonly byKey = new Map<string, Principal>();

  constructor(functions: LocalFunction[], roles: LocalRole[]) {
    const byRole = new Map(roles.map((role) => [role.logicalId, role]));
    for (const fn of functions) {
      const role = fn.role ? byRole.get(fn.role) : undefined;
      this.byKey.set(accessKeyFor(fn), {
        arn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${fn.role ?? 'none'}/${fn.name}`,
        statements: role?.statements ?? [],
      });
    }
  }

  principal(accessKeyId: string | null): Principal | null {
    return accessKeyId ? (this.byKey.get(accessKeyId) ?? null) : null;
  }
}

/** The access key id a function signs with locally (its secret is the local one). */
export const accessKeyFor = (fn: Pick<LocalFunction, 'logicalId'>) => `LOCAL${fn.logicalId.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`.slice(0, 128);

/** The access key id of a SigV4-signed request: the Authorization header's, or a presigned URL's. */
export function accessKeyOf(authorization: string | undefined, query?: URLSearchParams): string | null {
  const credential = /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? query?.get('X-Amz-Credential')?.split('/')[0];
  return credential ?? null;
}
