// The TF.js half of the Universal Sentence Encoder: picks a backend, loads the graph from disk and turns
// token ids into 512-d vectors. Tokenizing, batching and normalising stay in use.ts.
//
// Plain JavaScript because the same file runs inside worker threads (./use-worker.mjs), which need a file
// Node can run as is, and in the caller's own thread when workers are off or cannot start. Its types are
// in use-engine.d.mts.
//
// Why these choices:
// - Backend: tfjs-backend-wasm with SIMD runs the encoder ~30x faster than the pure-JS `cpu` backend
//   (0.5 texts/s at 128 tokens). Its threaded build cannot start on Node (it spawns its pthreads from blob:
//   URLs), so parallelism comes from several workers instead. `cpu` is only the fallback when WebAssembly
//   will not initialise. @tensorflow/tfjs-node would be faster still, but its install downloads a native
//   library, which these machines and CI cannot reach.
// - Files: the .wasm binaries, the graph and its 7 weight shards are read with fs from the packages' folders
//   in node_modules, so nothing is ever fetched. The caller resolves the folders (use-paths.ts) and
//   passes them in, because a bundler that inlines this file rewrites `import.meta.url` and `require`.
// - Kernels: TF.js-wasm sends batched matrix products (attention, [texts x heads, T, T]) to a naive C++
//   loop at ~2 GFLOP/s; only unbatched ones reach XNNPACK (~30 GFLOP/s). Its Slice copies the whole
//   input before slicing and its Gather walks element by element. Replacing those three (fast* below)
//   cuts a 16 x 128-token pass from ~1.15 s to ~0.72 s with the same numbers (cosine 1 - 1e-12); what is
//   left is ~85% XNNPACK matrix products, which only more cores speed up.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { loadGraphModel } from "@tensorflow/tfjs-converter";

export const USE_ENGINE_DIMENSION = 512;

/** Below this many multiply-adds per product, one C++ loop beats per-product calls into XNNPACK. */
const MIN_SPLIT_MACS = 32 * 32 * 32;

let wasmPathsSet = false;
let fastKernelsInstalled = false;

/** Replaces three wasm kernels with faster equivalents; see fastBatchMatMul, fastSlice, fastGather. */
function installFastKernels() {
  if (fastKernelsInstalled) return;
  for (const [name, fast] of [
    [tf.BatchMatMul, fastBatchMatMul],
    [tf.Slice, fastSlice],
    [tf.GatherV2, fastGather],
  ]) {
    const original = tf.getKernel(name, "wasm");
    if (!original) continue;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: (args) => fast(args, original.kernelFunc),
    });
  }
  fastKernelsInstalled = true;
}

/**
 * Runs a batched product as one XNNPACK product per batch entry. Each entry's operands are copied out
 * (transposed when asked, since the XNNPACK path takes neither transpose) into fresh heap tensors.
 */
function fastBatchMatMul(args, inner) {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const rank = a.shape.length;
  const batch = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const m = transposeA ? a.shape[rank - 1] : a.shape[rank - 2];
  const k = transposeA ? a.shape[rank - 2] : a.shape[rank - 1];
  const n = transposeB ? b.shape[rank - 2] : b.shape[rank - 1];
  const sameBatch =
    b.shape.length === rank && tf.util.arraysEqual(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (
    batch <= 1 ||
    !sameBatch ||
    a.dtype !== "float32" ||
    b.dtype !== "float32" ||
    m * n * k < MIN_SPLIT_MACS
  ) {
    return inner(args);
  }
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
  const plain = { transposeA: false, transposeB: false };
  for (let i = 0; i < batch; i++) {
    const aOne = backend.makeOutput([1, m, k], "float32");
    const bOne = backend.makeOutput([1, k, n], "float32");
    // Views are taken after every allocation: growing the WebAssembly heap detaches older ones.
    copyMatrix(
      backend.typedArrayFromHeap(a),
      i * m * k,
      backend.typedArrayFromHeap(aOne),
      m,
      k,
      transposeA,
    );
    copyMatrix(
      backend.typedArrayFromHeap(b),
      i * k * n,
      backend.typedArrayFromHeap(bOne),
      k,
      n,
      transposeB,
    );
    const product = inner({ inputs: { a: aOne, b: bOne }, backend, attrs: plain });
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(product), i * m * n);
    backend.disposeData(aOne.dataId);
    backend.disposeData(bOne.dataId);
    backend.disposeData(product.dataId);
  }
  return out;
}

/** Copies a rows x cols matrix starting at `offset`; when `transposed`, the source is stored cols x rows. */
function copyMatrix(source, offset, target, rows, cols, transposed) {
  if (!transposed) {
    target.set(source.subarray(offset, offset + rows * cols));
    return;
  }
  for (let c = 0; c < cols; c++) {
    const from = offset + c * rows;
    for (let r = 0; r < rows; r++) target[r * cols + c] = source[from + r];
  }
}

/**
 * The wasm Slice (and SplitV, which slices once per piece) first copies the whole input out of the heap
 * with readSync: splitting the [16, 128, 1536] attention projections into q, k and v copied 3 x 12 MB.
 * This copies only the slice, row by row, from a view of the heap.
 */
function fastSlice(args, inner) {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === "string" || x.shape.length === 0) return inner(args);
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  const out = backend.makeOutput(size, x.dtype);
  if (tf.util.sizeFromShape(size) === 0) return out;
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  const row = size[rank - 1];
  const index = new Array(rank - 1).fill(0);
  for (let written = 0; written < target.length; written += row) {
    let from = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (begin[d] + index[d]) * strides[d];
    target.set(source.subarray(from, from + row), written);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * The wasm GatherV2 walks element by element (~20 ms to look up 2,048 token embeddings of 256 floats);
 * whole rows copied from a view of the heap take well under 1 ms.
 */
function fastGather(args, inner) {
  const { inputs, backend, attrs } = args;
  const { x, indices } = inputs;
  if (x.dtype === "string" || indices.dtype !== "int32") return inner(args);
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
    x,
    indices,
    axis,
    attrs.batchDims,
  );
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const out = backend.makeOutput(info.outputShape, x.dtype);
  const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
  if (tf.util.sizeFromShape(info.outputShape) === 0) return out;
  const source = backend.typedArrayFromHeap(x);
  const positions = backend.typedArrayFromHeap(indices);
  const target = backend.typedArrayFromHeap(out);
  let written = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      for (let i = 0; i < perBatch; i++) {
        const index = positions[b * perBatch + i];
        if (index < 0 || index >= dimSize) {
          throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
        }
        const from = ((b * outerSize + o) * dimSize + index) * sliceSize;
        target.set(source.subarray(from, from + sliceSize), written);
        written += sliceSize;
      }
    }
  }
  return out;
}

/** Initialises `requested` ("auto" tries wasm first) and names what actually runs. */
async function selectBackend(requested, wasmDir) {
  // Production mode skips TF.js's debug checks and its banner urging tfjs-node, which cannot install here.
  tf.enableProdMode();
  if (requested !== "cpu") {
    try {
      if (!wasmPathsSet) {
        wasmBackend.setWasmPaths(wasmDir + path.sep);
        wasmPathsSet = true;
      }
      if (await tf.setBackend("wasm")) {
        installFastKernels();
        return (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) ? "wasm-simd" : "wasm";
      }
    } catch (error) {
      if (requested === "wasm") throw error;
    }
    if (requested === "wasm") throw new Error("the TF.js wasm backend did not initialise");
    console.warn(
      "[embeddings] the TF.js wasm backend did not initialise; the Universal Sentence Encoder runs on the " +
        "pure-JS cpu backend, about 30 times slower",
    );
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("the TF.js cpu backend did not initialise");
  return "cpu";
}

async function loadGraph(modelDir) {
  const manifest = JSON.parse(await readFile(path.join(modelDir, "model.json"), "utf8"));
  const { weightsManifest, ...artifacts } = manifest;
  const shards = await Promise.all(
    weightsManifest
      .flatMap((group) => group.paths)
      .map((file) => readFile(path.join(modelDir, file))),
  );
  const weights = Buffer.concat(shards);
  const whole = weights.byteOffset === 0 && weights.buffer.byteLength === weights.byteLength;
  const model = await loadGraphModel(
    tf.io.fromMemory({
      ...artifacts,
      weightSpecs: weightsManifest.flatMap((group) => group.weights),
      weightData: whole
        ? weights.buffer
        : weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  // The weights now live in the backend's memory; the graph would otherwise keep this 28 MB copy for a
  // save() that is never called.
  if (model.artifacts) model.artifacts.weightData = undefined;
  return model;
}

/** @param {import("./use-engine.d.mts").UseEngineOptions} options */
export async function createUseEngine(options) {
  const backend = await selectBackend(options.backend ?? "auto", options.wasmDir);
  const model = await loadGraph(options.modelDir);

  return {
    backend,
    /**
     * Text i is ids[offsets[i]] .. ids[offsets[i + 1]] (at least one id each): one sparse batch, one
     * forward pass, texts x 512 floats back.
     */
    async embed(ids, offsets) {
      const texts = offsets.length - 1;
      const positions = new Int32Array(ids.length * 2);
      for (let text = 0; text < texts; text++) {
        for (let at = offsets[text]; at < offsets[text + 1]; at++) {
          positions[2 * at] = text;
          positions[2 * at + 1] = at - offsets[text];
        }
      }
      const indices = tf.tensor2d(positions, [ids.length, 2], "int32");
      const values = tf.tensor1d(ids, "int32");
      let output;
      try {
        output = await model.executeAsync({ indices, values });
        const vectors = await output.data();
        if (vectors.length !== texts * USE_ENGINE_DIMENSION) {
          throw new Error(`USE returned ${vectors.length} numbers for ${texts} texts`);
        }
        return vectors;
      } finally {
        tf.dispose(output ? [indices, values, output] : [indices, values]);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
