/** Public surface of the simulator. */
export * from "./compile.ts";
export * from "./crossbar.ts";
export * from "./coding.ts";
export * from "./differential-read.ts";
export * from "./network.ts";
export * from "./perturbation.ts";
export * from "./rng.ts";
export * from "./sites.ts";
export * from "./stimulus.ts";
export type { NeuronBounds, NeuronModel, NeuronParams, NeuronState, NeuronStepResult } from "./neuron/neuron-model.ts";
export { neuronModels, type NeuronModelId } from "./neuron/neuron-registry.ts";
export { lifSheStep } from "./neuron/lif-she-neuron.ts";
export { integrateAndFireStep } from "./neuron/integrate-and-fire-neuron.ts";
export { stochasticLifSheStep, switchingProbability } from "./neuron/stochastic-lif-she-neuron.ts";
