import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as z from 'zod';

/**
 * API Gateway request models made from the same zod schemas the handlers validate with, so the
 * gateway turns away malformed bodies before a function runs. Only the structure goes to the
 * gateway (types, required fields, enums, lengths); formats and patterns stay with the handlers,
 * whose regular expressions the gateway's validator does not share.
 */
function strip(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strip);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' || key === 'format' || key === '$schema' || key === 'propertyNames') continue;
    out[key] = strip(value);
  }
  return out;
}

export function modelFor(api: apigateway.RestApi, name: string, schema: z.ZodType): apigateway.Model {
  const json = strip(z.toJSONSchema(schema, { target: 'draft-4', unrepresentable: 'any', io: 'input' })) as apigateway.JsonSchema;
  return api.addModel(name, { contentType: 'application/json', modelName: name, schema: { ...json, schema: apigateway.JsonSchemaVersion.DRAFT4 } });
}
