// Drives `nightshift mcp` with the official MCP TypeScript SDK client (a client nightshift did not write).
// argv[2]: JSON {command, args, calls: [{name, arguments}]}; prints one JSON object with what came back.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const plan = JSON.parse(process.argv[2]);
const transport = new StdioClientTransport({ command: plan.command, args: plan.args, stderr: "inherit" });
const client = new Client({ name: "nightshift-it", version: "1.0.0" });
await client.connect(transport);
const out = { server: client.getServerVersion(), tools: [], calls: [] };
const listed = await client.listTools();
out.tools = listed.tools.map((t) => ({ name: t.name, required: t.inputSchema.required || [], readOnly: t.annotations?.readOnlyHint }));
for (const call of plan.calls) {
  const started = Date.now();
  try {
    const r = await client.callTool({ name: call.name, arguments: call.arguments });
    out.calls.push({ name: call.name, isError: r.isError === true, structured: r.structuredContent ?? null,
      text: r.content?.[0]?.text ?? null, ms: Date.now() - started });
  } catch (e) {
    // A protocol error (an unknown tool, arguments the schema refuses): the server answered, it did not crash.
    out.calls.push({ name: call.name, protocolError: String(e.message || e), ms: Date.now() - started });
  }
}
await client.close();
console.log(JSON.stringify(out));
