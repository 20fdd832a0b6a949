/** The protocol (DESIGN section 2): acquire → freeze → evaluate → analyse, and published-library import. */
export { runProtocol, guardHide, PHASES, type Phase, type ProtocolDeps, type ProtocolResult } from "./run.ts";
export { ProtocolStateSchema, readProtocolState, protocolPaths, type ProtocolState } from "./state.ts";
export { importLibrary, type ImportReport } from "./import.ts";
