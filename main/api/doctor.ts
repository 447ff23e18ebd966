// The `doctor` report for the Settings view: the engine's report plus the catalog it serves.
import type { DoctorReport } from '../../shared/api.ts';
import type { Catalog } from '../engine/library/catalog/catalog.ts';
import { engineDoctor } from '../engine/face/doctor.ts';
import type { FaceEngine } from '../engine/face/engine.ts';

export function doctorReport(engine: FaceEngine, catalog: Catalog): DoctorReport {
  return { ...engineDoctor(engine), catalog: { file: catalog.file, stats: catalog.stats() } };
}
