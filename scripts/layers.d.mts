// Types for layers.mjs, which eslint.config.js loads as plain JavaScript.
export declare const LAYERS: readonly string[];
export declare const PURE: readonly string[];
export declare function restrictionsFor(folder: string): {
  patterns: { group: string[]; message: string }[];
  paths: { name: string; message: string }[];
};
