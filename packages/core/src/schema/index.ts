/**
 * `daily-tokens/schema`: JSON Schemas of meeting-token properties, derived from the claim registry, for
 * request validation, OpenAPI documents and editors. A separate entry, so token code does not ship them.
 *
 * @example
 * ```ts
 * import { meetingTokenPropertiesSchema } from 'daily-tokens/schema';
 * const schema = meetingTokenPropertiesSchema(); // hand it to Ajv, Fastify or an OpenAPI document
 * ```
 * @packageDocumentation
 */
export { meetingTokenPropertiesSchema, PERMISSIONS_SCHEMA, propertySchema } from '../claims/schema.js';
