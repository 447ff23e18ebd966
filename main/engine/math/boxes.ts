// Axis-aligned boxes: overlap as intersection over union (the PASCAL VOC measure), in any unit.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function boxIoU(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}
