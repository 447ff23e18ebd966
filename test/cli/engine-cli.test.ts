// The engine commands of the real CLI: doctor, detect, verify and eval verify (LFW pairs format).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { face, facesRoot, hasFaces, noFacesReason } from '../helpers/data.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fa-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('face-atlas CLI', () => {
  it('--help lists the commands', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['doctor', 'detect', 'verify', 'eval']) expect(r.stdout).toContain(c);
  });

  it('doctor --json reports the backend and every model file present', async () => {
    const r = await runCli(['doctor', '--json']);
    expect(r.code).toBe(0);
    // onnxruntime-node is installed by npm ci, so every network runs on it here (tfjs-node-gpu would come first).
    expect(['tensorflow-gpu', 'onnxruntime']).toContain(r.json.backend);
    expect(r.json.networks.map((n: { net: string }) => n.net).sort()).toEqual(['dlib-resnet', 'mobilefacenet', 'onet', 'pnet', 'rnet']);
    expect(r.json.networks.every((n: { backend: string; reason: string }) => n.backend === r.json.backend && n.reason.length > 0)).toBe(true);
    expect(r.json.models.map((m: { id: string }) => m.id).sort()).toEqual(['dlib', 'fused', 'mobilefacenet', 'mtcnn', 'ssd']);
    expect(r.json.models.every((m: { present: boolean }) => m.present)).toBe(true);
    expect(r.json.models.find((m: { id: string }) => m.id === 'mobilefacenet').dim).toBe(192);
  });

  it('detect on a missing file fails with a clear message and exit code 1', async () => {
    const r = await runCli(['detect', path.join(tmp, 'nope.jpg')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/file not found/);
  });
});

describe.skipIf(!hasFaces)(`face-atlas CLI on real photos${hasFaces ? '' : ` (${noFacesReason})`}`, () => {
  it('detect --json gives boxes in original-image coordinates', async () => {
    const r = await runCli(['detect', face('groups/bbt1.jpg'), '--json']);
    expect(r.code).toBe(0);
    expect([r.json.width, r.json.height]).toEqual([1366, 768]); // the original size, not the 1024 px detection size
    expect(r.json.faces).toHaveLength(4);
    for (const f of r.json.faces) expect(f.box.x + f.box.width).toBeLessThanOrEqual(1366);
  });

  it('verify --json: same person is same, different people are different, with a probability', async () => {
    const same = await runCli(['verify', face('Mary_Carey/Mary_Carey_0001.jpg'), face('Mary_Carey/Mary_Carey_0002.jpg'), '--json']);
    const diff = await runCli(['verify', face('Mary_Carey/Mary_Carey_0001.jpg'), face('Jon_Voight/Jon_Voight_0001.jpg'), '--json']);
    expect(same.json.same).toBe(true);
    expect(diff.json.same).toBe(false);
    expect(same.json.distance).toBeLessThan(diff.json.distance);
    expect(same.json.probability).toBeGreaterThan(0.5);
    expect(diff.json.probability).toBeLessThan(0.5);
  });

  it('eval verify reads an LFW pairs file and cross-validates over its folds', async () => {
    const pairs = [
      '2\t2',
      'Mary_Carey\t1\t2', 'Jon_Voight\t1\t2', 'Mary_Carey\t1\tJon_Voight\t3', 'Tom_Jones\t1\tCarlos_Bianchi\t2',
      'Tom_Jones\t1\t2', 'Carlos_Bianchi\t1\t2', 'Freddy_Garcia\t1\tRodrigo_Borja\t1', 'Mary_Carey\t3\tTom_Jones\t2',
    ].join('\n');
    const file = path.join(tmp, 'pairs.txt');
    writeFileSync(file, pairs);
    const r = await runCli(['eval', 'verify', '--pairs', file, '--root', facesRoot, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.pairs).toBe(8);
    expect(r.json.folds).toBe(2);
    expect(r.json.accuracy.mean).toBeGreaterThanOrEqual(0.75);
    expect(r.json.auc).toBeGreaterThan(0.9);
    expect(r.json.noFace).toBeGreaterThanOrEqual(0);
    expect(typeof r.json.noFaceHandling).toBe('string');
  });

  it('eval verify rejects a malformed pairs file clearly', async () => {
    const file = path.join(tmp, 'bad-pairs.txt');
    writeFileSync(file, 'not a header\nfoo\n');
    const r = await runCli(['eval', 'verify', '--pairs', file, '--root', facesRoot]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pairs file/);
  });

  it('eval train --end-to-end trains the convolutional embedder on aligned crops and improves held-out verification', async () => {
    const r = await runCli(['eval', 'train', '--root', facesRoot, '--end-to-end', '--embedder', 'mobilefacenet', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.mode).toBe('end-to-end');
    expect(r.json.crops).toBeGreaterThanOrEqual(280);
    expect(r.json.after.verification).toBeGreaterThan(r.json.before.verification + 0.05);
  });
});
