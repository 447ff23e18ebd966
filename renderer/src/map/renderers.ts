// Drawing the map: every face as a dot and, when zoomed in, the faces in view as thumbnails from the atlas.
// WebGL draws both as point sprites (one draw call each, positions uploaded once); where WebGL is missing,
// or refuses the thumbnails, the canvas 2D renderer writes dots into one ImageData and draws thumbnails
// with drawImage.
import { ATLAS_SIZE, CELL, CELLS_PER_SIDE, cellOrigin } from './atlas.ts';
import { SELECTION, type Rgb } from './palette.ts';
import type { View } from './view.ts';

/** Per-face state a frame shows: normal, dimmed (another person is highlighted), highlighted, selected. */
export const FLAG = { normal: 0, dimmed: 1, highlighted: 2, selected: 3 } as const;

export interface Frame {
  view: View;
  /** Canvas size in CSS pixels and device pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  background: Rgb;
  /** Dot diameter, CSS px. */
  dotPx: number;
  /** The view is moving: a renderer may draw a representative subset of the dots (all when it rests). */
  moving: boolean;
  /** Thumbnail side, CSS px, and the faces drawn as thumbnails with their atlas cells. */
  spritePx: number;
  sprites: { index: number; slot: number }[];
}

/**
 * Dots drawn while the view moves, at most: a seeded random subset (plus every highlighted or selected
 * face), so panning 100k faces on a software GL (SwiftShader) keeps its frame rate; the full set is
 * drawn as soon as the view rests.
 */
export const MOVING_DOTS = 30_000;

export interface MapRenderer {
  readonly kind: 'webgl' | '2d';
  /** Positions (x, y per face) and packed RGBA colours. */
  setData(xy: Float32Array, colours: Uint32Array, n: number): void;
  setFlags(flags: Uint8Array): void;
  /** Copies a loaded thumbnail into an atlas cell; false when the renderer cannot use it. */
  uploadCell(slot: number, cell: HTMLCanvasElement): boolean;
  draw(frame: Frame): void;
  destroy(): void;
}

const DOT_VS = `
attribute vec2 a_pos; attribute vec4 a_colour; attribute float a_flag;
uniform vec4 u_view; uniform float u_size; uniform vec3 u_bg; uniform vec3 u_sel;
varying vec4 v_colour; varying float v_ring;
void main() {
  gl_Position = vec4(a_pos * u_view.xy + u_view.zw, 0.0, 1.0);
  bool emph = a_flag > 1.5;
  gl_PointSize = emph ? u_size * 1.7 + 2.0 : u_size;
  vec3 c = a_flag > 2.5 ? u_sel : a_colour.rgb;
  v_colour = vec4(a_flag > 0.5 && a_flag < 1.5 ? mix(c, u_bg, 0.82) : c, 1.0);
  v_ring = emph ? 1.0 : 0.0;
}`;
const DOT_FS = `
precision mediump float;
varying vec4 v_colour; varying float v_ring;
void main() {
  float r = length(gl_PointCoord - 0.5) * 2.0;
  if (r > 1.0) discard;
  gl_FragColor = (v_ring > 0.5 && r > 0.7) ? vec4(0.08, 0.08, 0.08, 1.0) : v_colour;
}`;
const SPRITE_VS = `
attribute vec2 a_pos; attribute float a_slot; attribute vec3 a_colour; attribute float a_flag;
uniform vec4 u_view; uniform float u_size; uniform vec3 u_sel;
varying vec2 v_cell; varying vec3 v_ring; varying float v_flag;
void main() {
  gl_Position = vec4(a_pos * u_view.xy + u_view.zw, 0.0, 1.0);
  gl_PointSize = u_size;
  v_cell = vec2(mod(a_slot, ${CELLS_PER_SIDE}.0), floor(a_slot / ${CELLS_PER_SIDE}.0));
  v_ring = a_flag > 2.5 ? u_sel : a_colour;
  v_flag = a_flag;
}`;
const SPRITE_FS = `
precision mediump float;
uniform sampler2D u_atlas; uniform float u_border; uniform vec3 u_bg;
varying vec2 v_cell; varying vec3 v_ring; varying float v_flag;
void main() {
  vec2 p = gl_PointCoord;
  float edge = max(abs(p.x - 0.5), abs(p.y - 0.5)) * 2.0;
  float border = v_flag > 1.5 ? u_border * 2.2 : u_border;
  vec3 c = edge > 1.0 - border ? v_ring : texture2D(u_atlas, (v_cell + p) / ${CELLS_PER_SIDE}.0).rgb;
  gl_FragColor = vec4(v_flag > 0.5 && v_flag < 1.5 ? mix(c, u_bg, 0.7) : c, 1.0);
}`;

function compile(gl: WebGLRenderingContext, vs: string, fs: string): WebGLProgram {
  const program = gl.createProgram()!;
  for (const [type, source] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`map shader: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`map shader: ${gl.getProgramInfoLog(program)}`);
  return program;
}

const rgb = (c: Rgb): [number, number, number] => [c[0] / 255, c[1] / 255, c[2] / 255];

/** Clip-space transform a * pos + b for a view: x and y scale, then x and y offset. */
function clipTransform(f: Frame): [number, number, number, number] {
  return [(2 * f.view.scale) / f.width, (2 * f.view.scale) / f.height, (2 * f.view.cx) / f.width - 1, 1 - (2 * f.view.cy) / f.height];
}

export class WebGlRenderer implements MapRenderer {
  readonly kind = 'webgl';
  private readonly dots: WebGLProgram;
  private readonly spriteProgram: WebGLProgram;
  private readonly positions: WebGLBuffer;
  private readonly colours: WebGLBuffer;
  private readonly flags: WebGLBuffer;
  private readonly spriteBuffer: WebGLBuffer;
  private readonly atlas: WebGLTexture;
  private readonly maxPoint: number;
  private spriteData = new Float32Array(0);
  private n = 0;
  // The sprite pass reads positions, colours and flags on the CPU too (at most an atlas of faces a frame).
  private xyCopy: Float32Array = new Float32Array(0);
  private colourCopy: Uint32Array = new Uint32Array(0);
  private flagsCopy: Uint8Array = new Uint8Array(0);
  private shuffled = new Uint32Array(0);
  private emphasised = 0;

  /** A WebGL renderer on the canvas, or null where the browser has no WebGL. */
  static create(canvas: HTMLCanvasElement): WebGlRenderer | null {
    // No preserveDrawingBuffer: keeping the frame costs a full-canvas copy every frame (draw time 6.3 -> 2.2 ms
    // median at 100k faces on SwiftShader). Whoever reads pixels back asks for a draw in the same task
    // (the canvas's 'map:draw-now' event).
    const gl = canvas.getContext('webgl', { antialias: false, alpha: false, preserveDrawingBuffer: false, premultipliedAlpha: false });
    if (!gl) return null;
    try {
      return new WebGlRenderer(gl);
    } catch {
      return null;
    }
  }

  private constructor(private readonly gl: WebGLRenderingContext) {
    this.dots = compile(gl, DOT_VS, DOT_FS);
    this.spriteProgram = compile(gl, SPRITE_VS, SPRITE_FS);
    this.positions = gl.createBuffer()!;
    this.colours = gl.createBuffer()!;
    this.flags = gl.createBuffer()!;
    this.spriteBuffer = gl.createBuffer()!;
    this.atlas = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.atlas);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, ATLAS_SIZE, ATLAS_SIZE, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.maxPoint = (gl.getParameter(gl.ALIASED_POINT_SIZE_RANGE) as Float32Array)[1];
  }

  setData(xy: Float32Array, colours: Uint32Array, n: number): void {
    this.n = n;
    this.xyCopy = xy;
    this.colourCopy = colours;
    // A fixed random order, so any tail of the buffers is a fair sample of the map.
    this.shuffled = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.shuffled[i] = i;
    let seed = 0x9e3779b9;
    for (let i = n - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const j = seed % (i + 1);
      const t = this.shuffled[i];
      this.shuffled[i] = this.shuffled[j];
      this.shuffled[j] = t;
    }
    this.setFlags(new Uint8Array(n));
  }

  /** Uploads the dots in the shuffled order with highlighted and selected faces last (drawn on top, and in every subset). */
  setFlags(flags: Uint8Array): void {
    const gl = this.gl;
    const n = this.n;
    this.flagsCopy = flags;
    const xy = new Float32Array(2 * n);
    const colours = new Uint32Array(n);
    const ordered = new Uint8Array(n);
    let front = 0;
    let back = n - 1;
    for (let k = n - 1; k >= 0; k--) {
      const i = this.shuffled[k];
      const at = flags[i] >= FLAG.highlighted ? back-- : -1;
      if (at < 0) continue;
      xy[2 * at] = this.xyCopy[2 * i];
      xy[2 * at + 1] = this.xyCopy[2 * i + 1];
      colours[at] = this.colourCopy[i];
      ordered[at] = flags[i];
    }
    this.emphasised = n - 1 - back;
    for (let k = 0; k < n; k++) {
      const i = this.shuffled[k];
      if (flags[i] >= FLAG.highlighted) continue;
      const at = front++;
      xy[2 * at] = this.xyCopy[2 * i];
      xy[2 * at + 1] = this.xyCopy[2 * i + 1];
      colours[at] = this.colourCopy[i];
      ordered[at] = flags[i];
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.positions);
    gl.bufferData(gl.ARRAY_BUFFER, xy, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.colours);
    gl.bufferData(gl.ARRAY_BUFFER, colours, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.flags);
    gl.bufferData(gl.ARRAY_BUFFER, ordered, gl.STATIC_DRAW);
  }

  uploadCell(slot: number, cell: HTMLCanvasElement): boolean {
    const gl = this.gl;
    const [x, y] = cellOrigin(slot);
    gl.bindTexture(gl.TEXTURE_2D, this.atlas);
    try {
      gl.texSubImage2D(gl.TEXTURE_2D, 0, x, y, gl.RGBA, gl.UNSIGNED_BYTE, cell);
    } catch {
      return false;
    }
    return true;
  }

  private attribute(program: WebGLProgram, name: string, buffer: WebGLBuffer, size: number, type: number, normalised: boolean, stride = 0, offset = 0): void {
    const gl = this.gl;
    const at = gl.getAttribLocation(program, name);
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.enableVertexAttribArray(at);
    gl.vertexAttribPointer(at, size, type, normalised, stride, offset);
  }

  draw(f: Frame): void {
    const gl = this.gl;
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    const bg = rgb(f.background);
    gl.clearColor(bg[0], bg[1], bg[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const transform = clipTransform(f);

    gl.useProgram(this.dots);
    this.attribute(this.dots, 'a_pos', this.positions, 2, gl.FLOAT, false);
    this.attribute(this.dots, 'a_colour', this.colours, 4, gl.UNSIGNED_BYTE, true);
    this.attribute(this.dots, 'a_flag', this.flags, 1, gl.UNSIGNED_BYTE, false);
    gl.uniform4fv(gl.getUniformLocation(this.dots, 'u_view'), transform);
    gl.uniform1f(gl.getUniformLocation(this.dots, 'u_size'), Math.min(this.maxPoint, f.dotPx * f.dpr));
    gl.uniform3fv(gl.getUniformLocation(this.dots, 'u_bg'), bg);
    gl.uniform3fv(gl.getUniformLocation(this.dots, 'u_sel'), rgb(SELECTION));
    const count = f.moving ? Math.min(this.n, Math.max(MOVING_DOTS, this.emphasised)) : this.n;
    gl.drawArrays(gl.POINTS, this.n - count, count);
    for (const name of ['a_pos', 'a_colour', 'a_flag']) gl.disableVertexAttribArray(gl.getAttribLocation(this.dots, name));

    if (!f.sprites.length) return;
    const stride = 7;
    if (this.spriteData.length < f.sprites.length * stride) this.spriteData = new Float32Array(f.sprites.length * stride * 2);
    for (let s = 0; s < f.sprites.length; s++) {
      const { index, slot } = f.sprites[s];
      const o = s * stride;
      this.spriteData[o] = this.xyCopy[2 * index];
      this.spriteData[o + 1] = this.xyCopy[2 * index + 1];
      this.spriteData[o + 2] = slot;
      const c = this.colourCopy[index];
      this.spriteData[o + 3] = (c & 255) / 255;
      this.spriteData[o + 4] = ((c >>> 8) & 255) / 255;
      this.spriteData[o + 5] = ((c >>> 16) & 255) / 255;
      this.spriteData[o + 6] = this.flagsCopy[index] ?? 0;
    }
    gl.useProgram(this.spriteProgram);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.spriteBuffer);
    gl.bufferData(gl.ARRAY_BUFFER, this.spriteData.subarray(0, f.sprites.length * stride), gl.STREAM_DRAW);
    const p = this.spriteProgram;
    this.attribute(p, 'a_pos', this.spriteBuffer, 2, gl.FLOAT, false, stride * 4, 0);
    this.attribute(p, 'a_slot', this.spriteBuffer, 1, gl.FLOAT, false, stride * 4, 8);
    this.attribute(p, 'a_colour', this.spriteBuffer, 3, gl.FLOAT, false, stride * 4, 12);
    this.attribute(p, 'a_flag', this.spriteBuffer, 1, gl.FLOAT, false, stride * 4, 24);
    const size = Math.min(this.maxPoint, f.spritePx * f.dpr);
    gl.uniform4fv(gl.getUniformLocation(p, 'u_view'), transform);
    gl.uniform1f(gl.getUniformLocation(p, 'u_size'), size);
    gl.uniform1f(gl.getUniformLocation(p, 'u_border'), Math.min(0.3, (2 * Math.max(1.5, f.dpr * 2)) / size));
    gl.uniform3fv(gl.getUniformLocation(p, 'u_bg'), bg);
    gl.uniform3fv(gl.getUniformLocation(p, 'u_sel'), rgb(SELECTION));
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.atlas);
    gl.uniform1i(gl.getUniformLocation(p, 'u_atlas'), 0);
    gl.drawArrays(gl.POINTS, 0, f.sprites.length);
    for (const name of ['a_pos', 'a_slot', 'a_colour', 'a_flag']) gl.disableVertexAttribArray(gl.getAttribLocation(p, name));
  }

  destroy(): void {
    const gl = this.gl;
    for (const b of [this.positions, this.colours, this.flags, this.spriteBuffer]) gl.deleteBuffer(b);
    gl.deleteTexture(this.atlas);
    gl.deleteProgram(this.dots);
    gl.deleteProgram(this.spriteProgram);
  }
}

/** Canvas 2D: dots written into one reused ImageData (no per-dot canvas calls), thumbnails with drawImage. */
export class CanvasRenderer implements MapRenderer {
  readonly kind = '2d';
  private readonly ctx: CanvasRenderingContext2D;
  private readonly atlas: HTMLCanvasElement;
  private image: ImageData | null = null;
  private xy: Float32Array = new Float32Array(0);
  private colours: Uint32Array = new Uint32Array(0);
  private flags: Uint8Array = new Uint8Array(0);
  private n = 0;

  constructor(canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d')!;
    this.atlas = document.createElement('canvas');
    this.atlas.width = this.atlas.height = ATLAS_SIZE;
  }

  setData(xy: Float32Array, colours: Uint32Array, n: number): void {
    this.xy = xy;
    this.colours = colours;
    this.n = n;
    this.flags = new Uint8Array(n);
  }

  setFlags(flags: Uint8Array): void {
    this.flags = flags;
  }

  uploadCell(slot: number, cell: HTMLCanvasElement): boolean {
    const [x, y] = cellOrigin(slot);
    this.atlas.getContext('2d')!.drawImage(cell, x, y);
    return true;
  }

  draw(f: Frame): void {
    const { ctx } = this;
    const w = ctx.canvas.width, h = ctx.canvas.height;
    if (!this.image || this.image.width !== w || this.image.height !== h) this.image = ctx.createImageData(w, h);
    const pixels = new Uint32Array(this.image.data.buffer);
    const [br, bg, bb] = f.background;
    const background = ((255 << 24) | (bb << 16) | (bg << 8) | br) >>> 0;
    pixels.fill(background);
    const sel = ((255 << 24) | (SELECTION[2] << 16) | (SELECTION[1] << 8) | SELECTION[0]) >>> 0;
    const dim = (c: number): number => {
      const mixc = (shift: number, b: number) => Math.round(((c >>> shift) & 255) * 0.18 + b * 0.82);
      return ((255 << 24) | (mixc(16, bb) << 16) | (mixc(8, bg) << 8) | mixc(0, br)) >>> 0;
    };
    const r = Math.max(1, Math.round((f.dotPx * f.dpr) / 2));
    // Emphasised faces last, so they stay on top.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < this.n; i++) {
        const flag = this.flags[i];
        if ((flag >= FLAG.highlighted) !== (pass === 1)) continue;
        const px = Math.round((f.view.cx + this.xy[2 * i] * f.view.scale) * f.dpr);
        const py = Math.round((f.view.cy - this.xy[2 * i + 1] * f.view.scale) * f.dpr);
        if (px < -r || py < -r || px >= w + r || py >= h + r) continue;
        const c = flag === FLAG.selected ? sel : flag === FLAG.dimmed ? dim(this.colours[i]) : this.colours[i];
        const size = flag >= FLAG.highlighted ? r + 2 : r;
        for (let dy = -size + 1; dy < size; dy++) {
          const yy = py + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -size + 1; dx < size; dx++) {
            const xx = px + dx;
            if (xx >= 0 && xx < w && dx * dx + dy * dy < size * size) pixels[yy * w + xx] = c;
          }
        }
      }
    }
    ctx.putImageData(this.image, 0, 0);
    if (!f.sprites.length) return;
    const side = f.spritePx * f.dpr;
    for (const { index, slot } of f.sprites) {
      const [sx, sy] = cellOrigin(slot);
      const x = (f.view.cx + this.xy[2 * index] * f.view.scale) * f.dpr - side / 2;
      const y = (f.view.cy - this.xy[2 * index + 1] * f.view.scale) * f.dpr - side / 2;
      const flag = this.flags[index];
      ctx.globalAlpha = flag === FLAG.dimmed ? 0.3 : 1;
      ctx.drawImage(this.atlas, sx, sy, CELL, CELL, x, y, side, side);
      const c = this.colours[index];
      ctx.strokeStyle = flag === FLAG.selected ? `rgb(${SELECTION.join(',')})` : `rgb(${c & 255},${(c >>> 8) & 255},${(c >>> 16) & 255})`;
      ctx.lineWidth = (flag >= FLAG.highlighted ? 4 : 2) * f.dpr;
      ctx.strokeRect(x + ctx.lineWidth / 2, y + ctx.lineWidth / 2, side - ctx.lineWidth, side - ctx.lineWidth);
    }
    ctx.globalAlpha = 1;
  }

  destroy(): void {}
}
