// Types of scripts/generate.mjs for the unit tests.
import type { INodeProperties } from 'n8n-workflow';
export interface CoreSpec {
  submitEndpoints: Record<string, { inputSchema: string; displayName?: string; imageInput?: 'none' | 'single' | 'multiple' }>;
  defaultEndpoint: string;
  inputSchemas: Record<string, unknown>;
}
export interface DescribedModels {
  defaultModel: string;
  models: Record<string, { displayName: string; imageInput: string; fields: Array<Record<string, unknown>> }>;
  modelProperty: INodeProperties;
  fieldProperties: INodeProperties[];
  extraOptions: INodeProperties[];
  byImageInput: Record<'none' | 'single' | 'multiple', string[]>;
}
export function describeModels(spec: CoreSpec): DescribedModels;
export function render(described: DescribedModels, records?: VersionRecord[], renames?: Rename[]): string;
export function loadRenames(): Rename[];
export const versionsDir: string;
export function loadReleasedVersions(): number[] | undefined;
export interface Rename { endpoint?: string; from: string; to: string }
export interface VersionRecord {
  version: number;
  defaultModel: string;
  models: DescribedModels['models'];
  modelProperty: INodeProperties;
  fieldProperties: INodeProperties[];
  extraOptions: INodeProperties[];
}
export function loadCoreSpec(): Promise<CoreSpec>;
export function choiceName(name: string, isDefault: boolean): string;
export function toParameterName(field: string): string;
export function gatedProperties(records: VersionRecord[], pick: (record: VersionRecord) => INodeProperties | INodeProperties[]): INodeProperties[];
