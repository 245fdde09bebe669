// @ts-check
/**
 * @labelloom/sdk: what plugin widgets import. Re-exports the labeling runtime's public helpers;
 * see docs/plugins.md ("Browser widgets") for the widget contract.
 */
export * from "./labeling/sdk.js";
