/** The scripted OpenAI-compatible server used by tests and by `skilldelta mock-model` dry runs. */
export { startMockModel, pickReply, matchCondition, MOCK_FINGERPRINT, type MockModelServer, type RecordedRequest } from "./server.ts";
export { loadMockScript, parseMockScript, MockScriptSchema, SCRIPT_VERSION, type MockScript, type Reply, type Condition } from "./script.ts";
