/** Public surface of the macrospin MTJ spin-Hall device model. */
export * from "./physical-constants.ts";
export * from "./demagnetisation.ts";
export * from "./device-constants.ts";
export * from "./llg-solver.ts";
export * from "./pulse-train.ts";
export * from "./window-train.ts";
export { zigguratNormal } from "./ziggurat-normal.ts";
