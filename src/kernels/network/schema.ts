/**
 * The JSON schema of a network: input tensor shape, batch, and layers in execution order, each layer
 * validated by its kind's schema in the layer-kind registry.
 *
 * @module
 */
import { z } from 'zod';
import { LAYER_KINDS } from './layer-kinds.js';

type KindSchema = (typeof LAYER_KINDS)[keyof typeof LAYER_KINDS]['schema'];

/** Schema of one layer of a network (shapes are inferred): the union of every layer kind's schema. */
export const NetLayerSchema = z.discriminatedUnion('kind', Object.values(LAYER_KINDS).map((k) => k.schema) as unknown as [KindSchema, ...KindSchema[]]);

/** Schema of a network: input tensor shape, batch and layers in execution order. */
export const NetworkSpecSchema = z
  .object({
    name: z.string(),
    source: z.string().optional().meta({ description: 'Where the layer shapes come from (paper, table).' }),
    batch: z.number().int().min(1).default(1),
    input: z.object({ channels: z.number().int().min(1), height: z.number().int().min(1), width: z.number().int().min(1) }).strict(),
    layers: z.array(NetLayerSchema).min(1),
  })
  .strict();

/** A network as written. */
export type NetworkSpecInput = z.input<typeof NetworkSpecSchema>;
/** A validated network. */
export type NetworkSpec = z.output<typeof NetworkSpecSchema>;
/** One validated network layer. */
export type NetLayer = z.output<typeof NetLayerSchema>;
