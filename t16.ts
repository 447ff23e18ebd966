import * as ort from 'onnxruntime-node';
import { initBackend, tf } from './main/engine/face/backend.ts';
import { dlibToOnnx } from './main/engine/face/onnx/from-dlib.ts';
import { decodeFaceApiWeights, readFaceApiWeights, loadFaceApiNet } from './main/engine/face/weights/faceapi.ts';
await initBackend('wasm');
const files = readFaceApiWeights('face_recognition_model');
const map = decodeFaceApiWeights(files);
const w = new Map(Object.entries(map).map(([k, t]) => [k, { data: t.dataSync() as Float32Array, shape: t.shape }]));
console.log([...w.entries()].slice(0,3).map(([k,v])=>[k,v.shape]), files.specs.slice(0,2));
const bytes = dlibToOnnx(w);
const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
const net = loadFaceApiNet('faceRecognitionNet', 'face_recognition_model');
const x = new Float32Array(2*150*150*3).map(() => Math.random() * 255);
const ref = [await net.computeFaceDescriptor(tf.tensor3d(x.subarray(0,67500), [150,150,3])), await net.computeFaceDescriptor(tf.tensor3d(x.subarray(67500), [150,150,3]))];
for (let k=0;k<2;k++){ // warm
const t0=performance.now();
const r = await s.run({ input: new ort.Tensor('float32', x, [2,150,150,3]) });
console.log('ms', performance.now()-t0);
const got = r.output0.data as Float32Array;
for (let b=0;b<2;b++){ let md=0,mv=0; for(let i=0;i<128;i++){md=Math.max(md,Math.abs(got[b*128+i]-ref[b][i]));mv=Math.max(mv,Math.abs(ref[b][i]));} console.log('maxdiff',md,'maxabs',mv);}
}
