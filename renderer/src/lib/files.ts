// Reading dropped or chosen files for the API (base64 of the bytes), and what a drop carried.
import { API_LIMITS } from '../../../shared/api.ts';

export const FACE_DRAG_TYPE = 'application/x-face-atlas-face';

export async function fileToBase64(file: File): Promise<string> {
  if (file.size > API_LIMITS.uploadBytes) throw new Error(`${file.name} is larger than ${Math.round(API_LIMITS.uploadBytes / 1048576)} MB`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** A face dragged from the app (its id), if the drop carries one. */
export function droppedFaceId(dt: DataTransfer | null): number | null {
  const v = dt?.getData(FACE_DRAG_TYPE);
  return v && /^\d+$/.test(v) ? Number(v) : null;
}
