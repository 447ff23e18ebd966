// Barnes-Hut quadtree over 2-D points in typed arrays, for t-SNE's repulsive forces (van der Maaten 2014, Sec. 4.2).

/** Deeper than this, points share one leaf as if coincident (stops endless splitting on duplicates). */
const MAX_DEPTH = 48;

export class QuadTree {
  private capacity = 0;
  private nodeCount = 0;
  /** First of four consecutive children, -1 for a leaf. */
  private firstChild = new Int32Array(0);
  private pointCount = new Int32Array(0);
  /** Sum of positions while building, centre of mass after `finish`. */
  private massX = new Float64Array(0);
  private massY = new Float64Array(0);
  private centreX = new Float64Array(0);
  private centreY = new Float64Array(0);
  private halfWidth = new Float64Array(0);
  private depth = new Int32Array(0);
  /** The node each point rests in, to leave a point out of its own repulsion. */
  private leafOfPoint = new Int32Array(0);
  private firstPoint = new Int32Array(0);
  private stack = new Int32Array(0);

  private grow(required: number): void {
    if (required <= this.capacity) return;
    const capacity = Math.max(required, this.capacity * 2, 64);
    const growInt = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const growFloat = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.firstChild = growInt(this.firstChild);
    this.pointCount = growInt(this.pointCount);
    this.firstPoint = growInt(this.firstPoint);
    this.depth = growInt(this.depth);
    this.massX = growFloat(this.massX);
    this.massY = growFloat(this.massY);
    this.centreX = growFloat(this.centreX);
    this.centreY = growFloat(this.centreY);
    this.halfWidth = growFloat(this.halfWidth);
    this.capacity = capacity;
  }

  private addNode(cx: number, cy: number, half: number, depth: number): number {
    this.grow(this.nodeCount + 1);
    const node = this.nodeCount++;
    this.firstChild[node] = -1;
    this.pointCount[node] = 0;
    this.firstPoint[node] = -1;
    this.massX[node] = 0;
    this.massY[node] = 0;
    this.centreX[node] = cx;
    this.centreY[node] = cy;
    this.halfWidth[node] = half;
    this.depth[node] = depth;
    return node;
  }

  private split(node: number): void {
    const half = this.halfWidth[node] / 2;
    const cx = this.centreX[node];
    const cy = this.centreY[node];
    const depth = this.depth[node] + 1;
    // Children in the order (x < c, y < c), (x >= c, y < c), (x < c, y >= c), (x >= c, y >= c).
    const first = this.addNode(cx - half, cy - half, half, depth);
    this.addNode(cx + half, cy - half, half, depth);
    this.addNode(cx - half, cy + half, half, depth);
    this.addNode(cx + half, cy + half, half, depth);
    this.firstChild[node] = first;
  }

  private childFor(node: number, x: number, y: number): number {
    return this.firstChild[node] + (x >= this.centreX[node] ? 1 : 0) + (y >= this.centreY[node] ? 2 : 0);
  }

  /** Rebuilds the tree over `positions` (n x 2). */
  build(positions: Float64Array, n: number): void {
    this.nodeCount = 0;
    if (this.leafOfPoint.length < n) this.leafOfPoint = new Int32Array(n);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = positions[2 * i];
      const y = positions[2 * i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const half = Math.max(maxX - minX, maxY - minY, 1e-12) / 2 + 1e-9;
    this.addNode((minX + maxX) / 2, (minY + maxY) / 2, half, 0);
    for (let i = 0; i < n; i++) this.insert(i, positions[2 * i], positions[2 * i + 1], positions);
    for (let node = 0; node < this.nodeCount; node++) {
      const count = this.pointCount[node];
      if (count > 0) {
        this.massX[node] /= count;
        this.massY[node] /= count;
      }
    }
  }

  private insert(point: number, x: number, y: number, positions: Float64Array): void {
    let node = 0;
    for (;;) {
      const before = this.pointCount[node];
      this.pointCount[node] = before + 1;
      this.massX[node] += x;
      this.massY[node] += y;
      if (this.firstChild[node] === -1) {
        if (before === 0) {
          this.firstPoint[node] = point;
          this.leafOfPoint[point] = node;
          return;
        }
        if (this.depth[node] >= MAX_DEPTH) {
          // Coincident points share one leaf; its mass counts them all.
          this.leafOfPoint[point] = node;
          return;
        }
        // Push the resident point one level down, then continue with the new one.
        const resident = this.firstPoint[node];
        this.firstPoint[node] = -1;
        this.split(node);
        const rx = positions[2 * resident];
        const ry = positions[2 * resident + 1];
        const child = this.childFor(node, rx, ry);
        this.pointCount[child] = 1;
        this.massX[child] = rx;
        this.massY[child] = ry;
        this.firstPoint[child] = resident;
        this.leafOfPoint[resident] = child;
      }
      node = this.childFor(node, x, y);
    }
  }

  /**
   * Barnes-Hut estimate of the repulsive term for point i (van der Maaten 2014, Eq. 4-5): a cell with
   * r_cell / ||y_i - y_cell|| < theta acts as N_cell points at its centre of mass. r_cell is the cell's
   * half-width, as in the paper's reference code (bhtsne's SPTree), so theta = 0.5 means what it does there.
   * Adds sum_j (1 + d_ij^2)^-2 (y_i - y_j) to force[2i..2i+1] and returns sum_j (1 + d_ij^2)^-1 (i's
   * share of the normaliser Z).
   */
  repulsion(i: number, x: number, y: number, theta: number, force: Float64Array): number {
    if (this.stack.length < 4 * MAX_DEPTH + 4) this.stack = new Int32Array(4 * MAX_DEPTH + 4);
    const thetaSquared = theta * theta;
    const ownLeaf = this.leafOfPoint[i];
    // Locals, not fields, in the hot loop: V8 keeps the typed-array bases in registers.
    const stack = this.stack;
    const pointCount = this.pointCount;
    const firstChild = this.firstChild;
    const massX = this.massX;
    const massY = this.massY;
    const halfWidth = this.halfWidth;
    let top = 0;
    stack[top++] = 0;
    let z = 0;
    let fx = 0;
    let fy = 0;
    while (top > 0) {
      const node = stack[--top];
      let count = pointCount[node];
      if (count === 0) continue;
      const first = firstChild[node];
      if (first === -1 && node === ownLeaf) {
        count -= 1;
        if (count === 0) continue;
      }
      const dx = x - massX[node];
      const dy = y - massY[node];
      const distanceSquared = dx * dx + dy * dy;
      const half = halfWidth[node];
      if (first === -1 || half * half < thetaSquared * distanceSquared) {
        const q = 1 / (1 + distanceSquared);
        z += count * q;
        const mq2 = count * q * q;
        fx += mq2 * dx;
        fy += mq2 * dy;
      } else {
        stack[top++] = first;
        stack[top++] = first + 1;
        stack[top++] = first + 2;
        stack[top++] = first + 3;
      }
    }
    force[2 * i] += fx;
    force[2 * i + 1] += fy;
    return z;
  }
}
