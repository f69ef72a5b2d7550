package io.rekko.cli;

import io.rekko.schema.Command;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code rekko tenant upsert | suspend | resume | erase}: the admin commands about a tenant. */
@CommandLine.Command(
    name = "tenant",
    description = "Create, change, suspend, resume or erase a tenant (the admin topic).",
    subcommands = {
      TenantCommands.Upsert.class,
      TenantCommands.Suspend.class,
      TenantCommands.Resume.class,
      TenantCommands.Erase.class
    })
final class TenantCommands {
  private TenantCommands() {}

  /** The tenant parameter of every command here. */
  abstract static class AboutTenant extends SendingCommand {
    @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String tenant;

    @Override
    final TenantId tenant() {
      return TenantId.of(tenant);
    }
  }

  @CommandLine.Command(
      name = "upsert",
      description = "Create the tenant or replace all of its settings (tenant.upsert).")
  static final class Upsert extends AboutTenant {
    private static final Pattern RATE_LIMIT = Pattern.compile("([a-z_.]+)=(\\d+)/(\\d+)");

    @CommandLine.Option(
        names = "--max-faces",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Most faces registered at once, 0 to 1e9 (default: ${DEFAULT-VALUE}).")
    long maxFaces;

    @CommandLine.Option(
        names = "--embedding-dimension",
        paramLabel = "D",
        defaultValue = "512",
        description = "Values per embedding, 64 to 2048 (default: ${DEFAULT-VALUE}).")
    int embeddingDimension;

    @CommandLine.Option(
        names = "--verify-threshold",
        paramLabel = "SIMILARITY",
        defaultValue = "0.82",
        description = "Cosine similarity at which face.verify matches (default: ${DEFAULT-VALUE}).")
    double verifyThreshold;

    @CommandLine.Option(
        names = "--min-quality",
        paramLabel = "QUALITY",
        defaultValue = "0.6",
        description = "Lowest quality_score face.register takes (default: ${DEFAULT-VALUE}).")
    double minQuality;

    @CommandLine.Option(
        names = "--require-liveness",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description = "Whether face.register needs liveness_ok (default: ${DEFAULT-VALUE}).")
    boolean requireLiveness;

    @CommandLine.Option(
        names = "--rate-limit",
        paramLabel = "TYPE=LIMIT/WINDOW_MS",
        description =
            "A rate limit, e.g. face.verify=1000/1000; repeat for several. Default:"
                + " face.register=100/60000 and face.verify=1000/1000.")
    List<String> rateLimits;

    @CommandLine.Option(
        names = "--no-rate-limits",
        description = "No command type is rate limited.")
    boolean noRateLimits;

    @Override
    Command command(CommandEnvelope envelope) {
      return new TenantUpsert(
          envelope,
          new TenantConfig(
              maxFaces,
              rateLimits(),
              verifyThreshold,
              embeddingDimension,
              minQuality,
              requireLiveness));
    }

    private Map<CommandType, RateLimit> rateLimits() {
      Map<CommandType, RateLimit> limits = new EnumMap<>(CommandType.class);
      if (noRateLimits) {
        if (rateLimits != null) {
          throw new CliFailure("--no-rate-limits and --rate-limit contradict each other");
        }
        return limits;
      }
      if (rateLimits == null) {
        limits.put(CommandType.FACE_REGISTER, new RateLimit(100, 60_000));
        limits.put(CommandType.FACE_VERIFY, new RateLimit(1000, 1000));
        return limits;
      }
      for (String written : rateLimits) {
        Matcher m = RATE_LIMIT.matcher(written);
        if (!m.matches()) {
          throw new CliFailure(
              "--rate-limit '"
                  + written
                  + "' must be TYPE=LIMIT/WINDOW_MS, e.g. face.verify=10/1000");
        }
        CommandType type =
            CommandType.fromWireName(m.group(1))
                .orElseThrow(
                    () -> new CliFailure("--rate-limit: '" + m.group(1) + "' is no command type"));
        limits.put(type, new RateLimit(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
      }
      return limits;
    }
  }

  @CommandLine.Command(
      name = "suspend",
      description = "Refuse the tenant's face commands until resumed (tenant.suspend).")
  static final class Suspend extends AboutTenant {
    @CommandLine.Mixin Reason reason;

    @Override
    Command command(CommandEnvelope envelope) {
      return new TenantSuspend(envelope, reason.text);
    }
  }

  @CommandLine.Command(
      name = "resume",
      description = "Accept a suspended tenant's face commands again (tenant.resume).")
  static final class Resume extends AboutTenant {
    @CommandLine.Mixin Reason reason;

    @Override
    Command command(CommandEnvelope envelope) {
      return new TenantResume(envelope, reason.text);
    }
  }

  /** The required {@code --reason} of a suspension or resumption. */
  static final class Reason {
    @CommandLine.Option(
        names = "--reason",
        required = true,
        description = "Why, for the tenant's subscribers (1 to 500 characters).")
    String text;
  }

  @CommandLine.Command(
      name = "erase",
      description =
          "Remove everything the tenant has, for good, and refuse its older commands"
              + " (tenant.erase).")
  static final class Erase extends AboutTenant {
    @CommandLine.Option(
        names = "--reason",
        description = "Why, for the operators' log only (1 to 500 characters; not stored).")
    String reason;

    @Override
    Command command(CommandEnvelope envelope) {
      return new TenantErase(envelope, Optional.ofNullable(reason));
    }
  }
}
