// A binary min-heap of (key, a, b, stampA, stampB) records in growable typed arrays, for lazy-deletion merging.

const STRIDE = 4;

export class PairHeap {
  private keys = new Float64Array(1024);
  private data = new Int32Array(STRIDE * 1024);
  size = 0;

  push(key: number, a: number, b: number, stampA: number, stampB: number): void {
    if (this.size === this.keys.length) this.grow();
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.less(key, a, b, parent)) break;
      this.move(parent, pos);
      pos = parent;
    }
    this.set(pos, key, a, b, stampA, stampB);
  }

  /** Smallest record's fields, valid until the next push or pop. */
  get topKey(): number {
    return this.keys[0];
  }
  get topA(): number {
    return this.data[0];
  }
  get topB(): number {
    return this.data[1];
  }
  get topStampA(): number {
    return this.data[2];
  }
  get topStampB(): number {
    return this.data[3];
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const key = this.keys[last];
    const a = this.data[STRIDE * last];
    const b = this.data[STRIDE * last + 1];
    const sa = this.data[STRIDE * last + 2];
    const sb = this.data[STRIDE * last + 3];
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.slotLess(right, left) ? right : left;
      if (!this.slotBefore(child, key, a, b)) break;
      this.move(child, pos);
      pos = child;
    }
    this.set(pos, key, a, b, sa, sb);
  }

  // Ties broken by (a, b) so the merge order never depends on push order.
  /** Is the record (key, a, b) smaller than the one in slot `at`? */
  private less(key: number, a: number, b: number, at: number): boolean {
    const k = this.keys[at];
    if (key !== k) return key < k;
    const oa = this.data[STRIDE * at];
    return a !== oa ? a < oa : b < this.data[STRIDE * at + 1];
  }

  /** Is slot `at` smaller than the record (key, a, b)? */
  private slotBefore(at: number, key: number, a: number, b: number): boolean {
    const k = this.keys[at];
    if (k !== key) return k < key;
    const oa = this.data[STRIDE * at];
    return oa !== a ? oa < a : this.data[STRIDE * at + 1] < b;
  }

  private slotLess(i: number, j: number): boolean {
    return this.less(this.keys[i], this.data[STRIDE * i], this.data[STRIDE * i + 1], j);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from];
    const f = STRIDE * from;
    const t = STRIDE * to;
    const data = this.data;
    data[t] = data[f];
    data[t + 1] = data[f + 1];
    data[t + 2] = data[f + 2];
    data[t + 3] = data[f + 3];
  }

  private set(pos: number, key: number, a: number, b: number, sa: number, sb: number): void {
    this.keys[pos] = key;
    const o = STRIDE * pos;
    this.data[o] = a;
    this.data[o + 1] = b;
    this.data[o + 2] = sa;
    this.data[o + 3] = sb;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const data = new Int32Array(this.data.length * 2);
    data.set(this.data);
    this.keys = keys;
    this.data = data;
  }
}
