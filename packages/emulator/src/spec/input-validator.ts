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
  private readonly pointers: Map<string, string>;
  private ajvInstance: Ajv2020 | undefined;

  constructor(
    private readonly spec: OpenApiDocument,
    endpoints: SubmitEndpoint[],
  ) {
    this.pointers = new Map(endpoints.map((endpoint) => [endpoint.path, endpoint.schemaPointer]));
  }

  /** Built on the first submit: setting up ajv costs a noticeable part of a start-up. */
  private get ajv(): Ajv2020 {
    if (this.ajvInstance) return this.ajvInstance;
    const spec = this.spec;
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
    this.ajvInstance = ajv;
    return ajv;
  }

  /** Compiling takes a while, so it happens on an endpoint's first submit, once per spec. */
  private validatorFor(endpointPath: string): ValidateFunction {
    let validate = this.validators.get(endpointPath);
    if (!validate) {
      const pointer = this.pointers.get(endpointPath);
      if (pointer === undefined) throw new Error(`No request schema for ${endpointPath}`);
      validate = this.ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
      this.validators.set(endpointPath, validate);
    }
    return validate;
  }

  /** Checks a parsed body; on success returns a copy with the schema's defaults filled in. */
  validate(endpointPath: string, body: unknown): ValidationResult {
    const validate = this.validatorFor(endpointPath);
    const value = structuredClone(body);
    if (validate(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, issues: toValidationIssues((validate.errors ?? []) as ErrorObject[], body) };
  }
}

const validatorsBySpec = new WeakMap<OpenApiDocument, InputValidator>();

/** One validator per spec document, shared by every emulator started in the process. */
export function validatorForSpec(spec: OpenApiDocument, endpoints: SubmitEndpoint[]): InputValidator {
  let validator = validatorsBySpec.get(spec);
  if (!validator) {
    validator = new InputValidator(spec, endpoints);
    validatorsBySpec.set(spec, validator);
  }
  return validator;
}
