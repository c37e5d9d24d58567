/**
 * The network zoo: published layer shapes as {@link NetworkSpecInput}s, built by small functions so the
 * shapes can be checked against the papers. Users add their own with a JSON file of the same schema.
 *
 * - ResNet-18 (ImageNet, 224x224): He et al., "Deep Residual Learning for Image Recognition", CVPR 2016,
 *   Table 1 (basic blocks [2, 2, 2, 2], 64-128-256-512 channels, 1x1 stride-2 projection shortcuts).
 * - ResNet-20 (CIFAR-10, 32x32): same paper, Section 4.2 (n = 3, 16-32-64 channels; 1x1 projection
 *   shortcuts when the shape changes, option B).
 * - VGG-small (CIFAR-10): Zhang et al., "LQ-Nets", ECCV 2018, Section 4.1 (the VGG variant used by
 *   quantised-network papers): 2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-FC1024-FC10.
 * - MobileNetV2 (ImageNet, 224x224): Sandler et al., CVPR 2018, Table 2 (expansion t, channels c, repeats
 *   n, stride s), residual adds where stride 1 and channels match.
 *
 * @module
 */
import type { NetworkSpecInput } from './network.js';

type L = NetworkSpecInput['layers'][number];

function basicBlock(layers: L[], name: string, input: string, out: number, stride: number, project: boolean): string {
  layers.push({ name: `${name}.conv1`, kind: 'conv', input, out, kernel: 3, stride, padding: 1 });
  layers.push({ name: `${name}.conv2`, kind: 'conv', out, kernel: 3, padding: 1 });
  let shortcut = input;
  if (project) {
    layers.push({ name: `${name}.downsample`, kind: 'conv', input, out, kernel: 1, stride });
    shortcut = `${name}.downsample`;
  }
  layers.push({ name: `${name}.add`, kind: 'add', inputs: [`${name}.conv2`, shortcut] });
  return `${name}.add`;
}

/** ResNet-18 for ImageNet (224x224x3, 1000 classes). */
export function resnet18(): NetworkSpecInput {
  const layers: L[] = [
    { name: 'conv1', kind: 'conv', out: 64, kernel: 7, stride: 2, padding: 3 },
    { name: 'maxpool', kind: 'maxpool', kernel: 3, stride: 2, padding: 1 },
  ];
  let x = 'maxpool';
  let c = 64;
  [64, 128, 256, 512].forEach((out, stage) => {
    for (let b = 0; b < 2; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      x = basicBlock(layers, `layer${stage + 1}.${b}`, x, out, stride, stride !== 1 || c !== out);
      c = out;
    }
  });
  layers.push({ name: 'avgpool', kind: 'avgpool', input: x }, { name: 'fc', kind: 'fc', out: 1000 });
  return { name: 'resnet18', source: 'He et al., CVPR 2016, Table 1', input: { channels: 3, height: 224, width: 224 }, layers };
}

/** ResNet-20 for CIFAR-10 (32x32x3, 10 classes). */
export function resnet20(): NetworkSpecInput {
  const layers: L[] = [{ name: 'conv1', kind: 'conv', out: 16, kernel: 3, padding: 1 }];
  let x = 'conv1';
  let c = 16;
  [16, 32, 64].forEach((out, stage) => {
    for (let b = 0; b < 3; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      x = basicBlock(layers, `layer${stage + 1}.${b}`, x, out, stride, stride !== 1 || c !== out);
      c = out;
    }
  });
  layers.push({ name: 'avgpool', kind: 'avgpool', input: x }, { name: 'fc', kind: 'fc', out: 10 });
  return { name: 'resnet20', source: 'He et al., CVPR 2016, Section 4.2 (n = 3)', input: { channels: 3, height: 32, width: 32 }, layers };
}

/** VGG-small for CIFAR-10 (32x32x3, 10 classes). */
export function vggSmall(): NetworkSpecInput {
  const layers: L[] = [];
  [128, 256, 512].forEach((c, i) => {
    layers.push({ name: `conv${2 * i + 1}`, kind: 'conv', out: c, kernel: 3, padding: 1 });
    layers.push({ name: `conv${2 * i + 2}`, kind: 'conv', out: c, kernel: 3, padding: 1 });
    layers.push({ name: `pool${i + 1}`, kind: 'maxpool', kernel: 2, stride: 2 });
  });
  layers.push({ name: 'fc1', kind: 'fc', out: 1024 }, { name: 'fc2', kind: 'fc', out: 10 });
  return { name: 'vgg-small', source: 'Zhang et al., LQ-Nets, ECCV 2018, Section 4.1', input: { channels: 3, height: 32, width: 32 }, layers };
}

/** MobileNetV2 for ImageNet (224x224x3, 1000 classes), width multiplier 1. */
export function mobilenetv2(): NetworkSpecInput {
  const layers: L[] = [{ name: 'conv1', kind: 'conv', out: 32, kernel: 3, stride: 2, padding: 1 }];
  let x = 'conv1';
  let c = 32;
  const table: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  table.forEach(([t, out, n, s], bi) => {
    for (let i = 0; i < n; i++) {
      const name = `block${bi + 1}.${i}`;
      const stride = i === 0 ? s : 1;
      let y = x;
      if (t !== 1) {
        layers.push({ name: `${name}.expand`, kind: 'conv', input: y, out: c * t, kernel: 1 });
        y = `${name}.expand`;
      }
      layers.push({ name: `${name}.dw`, kind: 'depthwise', input: y, kernel: 3, stride, padding: 1 });
      layers.push({ name: `${name}.project`, kind: 'conv', out, kernel: 1 });
      if (stride === 1 && c === out) {
        layers.push({ name: `${name}.add`, kind: 'add', inputs: [`${name}.project`, x] });
        x = `${name}.add`;
      } else x = `${name}.project`;
      c = out;
    }
  });
  layers.push({ name: 'conv_last', kind: 'conv', input: x, out: 1280, kernel: 1 }, { name: 'avgpool', kind: 'avgpool' }, { name: 'fc', kind: 'fc', out: 1000 });
  return { name: 'mobilenetv2', source: 'Sandler et al., CVPR 2018, Table 2', input: { channels: 3, height: 224, width: 224 }, layers };
}

/** The built-in networks by name. */
export const ZOO: Readonly<Record<string, () => NetworkSpecInput>> = Object.freeze({
  resnet18,
  resnet20,
  'vgg-small': vggSmall,
  mobilenetv2,
});
