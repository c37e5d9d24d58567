// The ONNX operator test cases of Debian's libonnx-testdata (installed by .ci/run): each case is a folder with
// model.onnx and test_data_set_N/{input,output}_K.pb (TensorProto files) computed by ONNX's own reference.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeOnnxModel, decodeOnnxTensor } from '../../src/onnx/decode.js';
import type { OnnxGraph, OnnxTensor } from '../../src/onnx/graph.js';

export const TESTDATA = process.env['ONNX_TESTDATA'] ?? '/usr/share/libonnx-testdata/data/node';

/** Fails with the fix when the package is missing (CI installs it; a developer may not have it yet). */
export function requireTestdata(): void {
  if (!existsSync(TESTDATA)) throw new Error(`ONNX test data not found at ${TESTDATA}: install it with 'apt-get install -y libonnx-testdata' (.ci/run does), or set ONNX_TESTDATA`);
}

export interface OnnxCase {
  readonly name: string;
  readonly graph: OnnxGraph;
  readonly sets: readonly { readonly inputs: OnnxTensor[]; readonly outputs: OnnxTensor[] }[];
}

export function caseNames(): string[] {
  requireTestdata();
  return readdirSync(TESTDATA).filter((d) => existsSync(join(TESTDATA, d, 'model.onnx'))).sort();
}

/** The model of a case, without its data. */
export function loadCaseModel(name: string): OnnxGraph {
  return decodeOnnxModel(readFileSync(join(TESTDATA, name, 'model.onnx')));
}

export function loadCase(name: string): OnnxCase {
  const dir = join(TESTDATA, name);
  const graph = loadCaseModel(name);
  const sets = readdirSync(dir)
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((s) => {
      const files = readdirSync(join(dir, s)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
      const read = (prefix: string) => files.filter((f) => f.startsWith(prefix)).map((f) => decodeOnnxTensor(readFileSync(join(dir, s, f))));
      return { inputs: read('input_'), outputs: read('output_') };
    });
  return { name, graph, sets };
}
