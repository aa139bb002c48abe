package dev.taillight.cli;

import dev.taillight.collector.cloudwatch.CloudWatchClients;
import dev.taillight.collector.cloudwatch.LogGroupResolver;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** AWS clients and log group names from the global options. Loaded only by commands that talk to AWS. */
final class Aws {
  private Aws() {}

  static CloudWatchClients clients(CliContext ctx) {
    URI endpoint = null;
    if (ctx.root.endpointUrl != null) {
      try {
        endpoint = new URI(ctx.root.endpointUrl.trim());
        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
          throw new URISyntaxException(ctx.root.endpointUrl, "needs a scheme and a host");
        }
      } catch (URISyntaxException e) {
        throw CliException.usage("invalid --endpoint-url '" + ctx.root.endpointUrl + "': " + e.getReason(),
            "give a URL like http://localhost:4566");
      }
    }
    return CloudWatchClients.builder().profile(ctx.root.profile).region(ctx.root.region).endpoint(endpoint)
        .env(ctx.env.env()).build();
  }

  /**
   * Resolves function names, log group names, prefixes and patterns to log groups with the collector's
   * {@link LogGroupResolver}; notes (fallbacks, groups that do not exist yet) go to standard error. Nothing
   * found at all is a not-found error naming similar groups.
   */
  static List<String> resolve(CliContext ctx, CloudWatchClients clients, List<String> targets)
      throws InterruptedException {
    try (CloudWatchLogsClient logs = clients.logs(); LambdaClient lambda = clients.lambda()) {
      LogGroupResolver resolver = LogGroupResolver.create(logs, lambda);
      LogGroupResolver.Resolution r = resolver.resolve(targets);
      for (String note : r.notes()) {
        ctx.err.println("taillight: note: " + note);
      }
      if (r.logGroups().isEmpty()) {
        List<String> similar = new ArrayList<>();
        for (String m : r.missing()) {
          similar.addAll(resolver.similar(m));
        }
        throw CliException.notFound("no log group matches " + String.join(", ", targets),
            similar.isEmpty() ? "run 'taillight functions' to list the Lambda log groups in this account and region"
                : "similar log groups: " + String.join(", ", similar.subList(0, Math.min(5, similar.size()))));
      }
      return r.logGroups();
    }
  }

  /**
   * Log group names for the command's targets: {@code orders-api} means {@code /aws/lambda/orders-api}, a name
   * starting with {@code /} is a log group as given.
   */
  static List<String> groups(List<String> targets) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : targets) {
      String s = t.trim();
      if (s.isEmpty()) {
        continue;
      }
      out.add(s.startsWith("/") ? s : "/aws/lambda/" + s);
    }
    return new ArrayList<>(out);
  }

  /** The function name of a Lambda log group, or the group itself. */
  static String function(String logGroup) {
    return logGroup.startsWith("/aws/lambda/") ? logGroup.substring("/aws/lambda/".length()) : logGroup;
  }
}
