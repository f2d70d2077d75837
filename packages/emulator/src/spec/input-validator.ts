import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import type { OpenApiDocument } from './openapi-document.js';
import type { SubmitEndpoint } from './submit-endpoints.js';
import { toValidationIssues, type ValidationIssue } from './validation-issues.js';

const SPEC_ID = 'urn:anyapi-kontext:openapi';

export type ValidationResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Validates submit bodies against the spec's own request schemas (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses), so the emulator refuses exactly what the spec says is wrong.
 */
export class InputValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(spec: OpenApiDocument, endpoints: SubmitEndpoint[]) {
    const ajv = new Ajv2020({
      allErrors: true,
      // The spec carries OpenAPI and x- keywords that are not JSON Schema; ignore, do not fail.
      strict: false,
      useDefaults: true,
    });
    formatsPlugin.default(ajv);
    // Schemas reference each other as #/components/...; registering the document as one
    // schema resolves those pointers the way the spec means them.
    ajv.addSchema({ $id: SPEC_ID, paths: spec.paths, components: spec.components ?? {} });
    for (const endpoint of endpoints) {
      this.validators.set(endpoint.path, ajv.compile({ $ref: `${SPEC_ID}#${endpoint.schemaPointer}` }));
    }
  }

  /** Checks a parsed body; on success returns a copy with the schema's defaults filled in. */
  validate(endpointPath: string, body: unknown): ValidationResult {
    const validate = this.validators.get(endpointPath);
    if (!validate) throw new Error(`No request schema for ${endpointPath}`);
    const value = structuredClone(body);
    if (validate(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, issues: toValidationIssues((validate.errors ?? []) as ErrorObject[], body) };
  }
}
