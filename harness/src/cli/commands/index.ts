import type { Command } from "commander";
import { registerAgentCommands } from "./agents.ts";
import { registerAnalysisCommands } from "./analysis.ts";
import { registerAssetCommands } from "./assets.ts";
import { registerDistributedCommands } from "./distributed.ts";
import { registerEnvCommands } from "./env.ts";
import { registerGcCommand } from "./gc.ts";
import { registerMainCommand } from "./main-job.ts";
import { registerProtocolCommands } from "./protocol.ts";
import { registerRunCommand } from "./run.ts";
import { registerSiteCommands } from "./site.ts";
import { registerSubmitCommands } from "./submit.ts";
import { registerTaskCommands } from "./tasks.ts";

/** Every command, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  registerMainCommand(program);
  registerRunCommand(program);
  registerProtocolCommands(program);
  registerAnalysisCommands(program);
  registerTaskCommands(program);
  registerAssetCommands(program);
  registerEnvCommands(program);
  registerSiteCommands(program);
  registerSubmitCommands(program);
  registerAgentCommands(program);
  registerGcCommand(program);
  registerDistributedCommands(program);
}
