// Types of scripts/node-versions.mjs for the unit tests.
import type { DescribedModels, Rename, VersionRecord } from './generate.mjs';
export interface NodeChange { endpoint: string; parameter: string | null; kind: string; newVersion: boolean; detail: string }
export function readVersionRecords(dir: string): VersionRecord[];
export function recordOf(described: DescribedModels, version: number): VersionRecord;
export function nextVersion(version: number): number;
export function compareRecords(old: VersionRecord, current: VersionRecord, renames?: Rename[]): NodeChange[];
export function planVersions(records: VersionRecord[], described: DescribedModels, renames?: Rename[], released?: number[]): { records: VersionRecord[]; write: VersionRecord[]; remove: VersionRecord[]; changes: NodeChange[]; added: number | undefined };
export function runtimeModelsOf(record: VersionRecord, latest: VersionRecord, renames?: Rename[]): DescribedModels['models'];
export function renamedTo(renames: Rename[], endpoint: string, field: string): string | undefined;
export function summariseRecord(record: VersionRecord): { defaultModel: string; models: Record<string, Record<string, { field: string; type: string; default: unknown; choices?: unknown[]; required?: boolean }>> };
