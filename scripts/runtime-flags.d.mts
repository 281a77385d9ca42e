export declare const RUNTIME_FLAGS: readonly string[];
export declare function applyRuntimeFlags(): void;
