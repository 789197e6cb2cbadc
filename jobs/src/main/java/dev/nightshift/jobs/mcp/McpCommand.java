package dev.nightshift.jobs.mcp;

import dev.nightshift.jobs.cli.Build;
import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.run.ModelOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.llm.GemmaEngine;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "mcp", description = "Serve the archive to agents over the Model Context Protocol, on standard input and output "
        + "(no network): tools search, get_document, get_text, list_failures, run_status, and ask with --model. Read-only: "
        + "it writes nothing, works while a run is going, and serves only what the database holds. It stops when the client "
        + "closes its input.")
public final class McpCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--model", paramLabel = "DIR", description = "A model folder: adds the ask tool (answers are not stored).")
    Path model;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() throws Exception {
        Path base = data.existingDatabase();
        // Copies of the database left by servers that were killed while a run held it.
        dev.nightshift.pipeline.store.Store.sweepSnapshots(DataLayout.temp());
        // Standard output carries the protocol and nothing else: whatever prints goes to standard error.
        PrintStream protocol = System.out;
        System.setOut(System.err);
        McpStdio stdio = new McpStdio(System.in, protocol);
        GemmaEngine engine = model == null ? null : modelOptions.load(model);
        try (McpTools tools = new McpTools(base, engine)) {
            StdioServerTransportProvider transport = new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper()),
                    stdio.sdkInput(), stdio.sdkOutput());
            McpSyncServer server = McpServer.sync(transport)
                    .serverInfo("nightshift", Build.version())
                    .instructions("The archive nightshift has read: search it, read documents with their summaries and lineage, "
                            + "and quote stored text by character span. Every result carries the source path and spans to cite.")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .validateToolInputs(true)
                    .tools(tools.specifications())
                    .build();
            System.err.println("nightshift: MCP server on standard input/output for " + base + ".mv.db" + (engine == null ? "" : " with ask"));
            stdio.start();
            stdio.awaitEnd();
            server.closeGracefully();
        } finally {
            if (engine != null) engine.close();
        }
        return ExitCodes.OK;
    }
}
