/**
 * Registry of neuron models, keyed by the id a testbench names in `neuron.model`.
 *
 *   const model = neuronModels["lif-she"];
 */
import { integrateAndFireModel } from "./integrate-and-fire-neuron.ts";
import { lifSheModel } from "./lif-she-neuron.ts";
import { macrospinSheModel } from "./macrospin-she-neuron.ts";
import type { NeuronModel } from "./neuron-model.ts";
import { stochasticLifSheModel } from "./stochastic-lif-she-neuron.ts";

export const neuronModels = {
  "lif-she": lifSheModel,
  "stochastic-lif-she": stochasticLifSheModel,
  "integrate-and-fire": integrateAndFireModel,
  "macrospin-she": macrospinSheModel,
} as const satisfies Record<string, NeuronModel>;

export type NeuronModelId = keyof typeof neuronModels;
