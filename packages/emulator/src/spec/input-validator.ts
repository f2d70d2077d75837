import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import type { OpenApiDocument } from './openapi-document.js';
import type { SubmitEndpoint } from './submit-endpoints.js';
import { toValidationIssues, type ValidationIssue } from './validation-issues.js';

const SPEC_ID = 'urn:anyapi-kontext:openapi';

export type ValidationResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; issues: ValidationIssue[] };

/** What is costly to build once per spec document: its ajv and each schema compiled. */
interface CompiledSpec {
  ajv: Ajv2020 | undefined;
  validators: Map<string, ValidateFunction>;
}

const compiledBySpec = new WeakMap<OpenApiDocument, CompiledSpec>();

/** An extra model's input (the `extraModels` option): any JSON object. */
const ANY_OBJECT = { type: 'object' };

/**
 * Validates submit bodies against the spec's own request schemas (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses), so the emulator refuses exactly what the spec says is wrong. One per
 * emulator (its endpoints, with any extra models); the compiled schemas are shared per spec.
 */
export class InputValidator {
  private readonly pointers: Map<string, string | undefined>;
  private readonly compiled: CompiledSpec;

  constructor(
    private readonly spec: OpenApiDocument,
    endpoints: SubmitEndpoint[],
  ) {
    this.pointers = new Map(endpoints.map((endpoint) => [endpoint.path, endpoint.schemaPointer]));
    let compiled = compiledBySpec.get(spec);
    if (!compiled) {
      compiled = { ajv: undefined, validators: new Map() };
      compiledBySpec.set(spec, compiled);
    }
    this.compiled = compiled;
  }

  /** Built on the first submit: setting up ajv costs a noticeable part of a start-up. */
  private get ajv(): Ajv2020 {
    if (this.compiled.ajv) return this.compiled.ajv;
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
    this.compiled.ajv = ajv;
    return ajv;
  }

  /** Compiling takes a while, so it happens on a schema's first submit, once per spec. */
  private validatorFor(endpointPath: string): ValidateFunction {
    if (!this.pointers.has(endpointPath)) throw new Error(`No request schema for ${endpointPath}`);
    const pointer = this.pointers.get(endpointPath);
    const key = pointer ?? '';
    let validate = this.compiled.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(pointer === undefined ? ANY_OBJECT : { $ref: `${SPEC_ID}#${pointer}` });
      this.compiled.validators.set(key, validate);
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
