package io.rekko.cli;

import io.rekko.schema.Command;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantId;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** {@code rekko face register | verify | delete}: the face commands (the commands topic). */
@CommandLine.Command(
    name = "face",
    description = "Register, verify or delete a face (the commands topic).",
    subcommands = {
      FaceCommands.Register.class,
      FaceCommands.Verify.class,
      FaceCommands.Delete.class
    })
final class FaceCommands {
  private FaceCommands() {}

  /** The tenant and external id parameters of every command here. */
  abstract static class AboutFace extends SendingCommand {
    @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
    String tenant;

    @CommandLine.Parameters(
        index = "1",
        paramLabel = "EXTERNAL_ID",
        description = "The tenant's id for the face.")
    String externalId;

    @Override
    final TenantId tenant() {
      return TenantId.of(tenant);
    }

    final ExternalId face() {
      return ExternalId.of(externalId);
    }
  }

  @CommandLine.Command(
      name = "register",
      description = "Enrol a face under the external id (face.register).")
  static final class Register extends AboutFace {
    @CommandLine.Option(
        names = "--embedding-file",
        required = true,
        paramLabel = "FILE",
        description = "The embedding: a JSON array of numbers, or a 1-D NumPy .npy (<f4 or <f8).")
    Path embeddingFile;

    @CommandLine.Option(
        names = "--quality",
        paramLabel = "SCORE",
        required = true,
        description = "The extractor's quality_score, 0 to 1.")
    double quality;

    @CommandLine.Option(
        names = "--liveness",
        arity = "0..1",
        fallbackValue = "true",
        defaultValue = "false",
        paramLabel = "BOOLEAN",
        description = "Whether the liveness check passed (--liveness alone: true; default: false).")
    boolean liveness;

    @CommandLine.Option(
        names = "--metadata",
        paramLabel = "KEY=VALUE",
        description = "A metadata entry stored with the face; repeat for several.")
    Map<String, String> metadata;

    @CommandLine.Option(
        names = "--replace",
        description = "Re-enrol when the external id is registered already.")
    boolean replace;

    @Override
    Command command(CommandEnvelope envelope) {
      return new FaceRegister(
          envelope,
          face(),
          EmbeddingFiles.read(embeddingFile),
          quality,
          liveness,
          metadata == null ? Map.of() : new TreeMap<>(metadata),
          replace);
    }
  }

  @CommandLine.Command(
      name = "verify",
      description = "Compare a probe with the face of the external id (face.verify).")
  static final class Verify extends AboutFace {
    @CommandLine.Option(
        names = "--embedding-file",
        required = true,
        paramLabel = "FILE",
        description = "The probe: a JSON array of numbers, or a 1-D NumPy .npy (<f4 or <f8).")
    Path embeddingFile;

    @Override
    Command command(CommandEnvelope envelope) {
      Embedding probe = EmbeddingFiles.read(embeddingFile);
      return new FaceVerify(envelope, face(), probe);
    }
  }

  @CommandLine.Command(
      name = "delete",
      description = "Remove the face of the external id (face.delete).")
  static final class Delete extends AboutFace {
    @Override
    Command command(CommandEnvelope envelope) {
      return new FaceDelete(envelope, face());
    }
  }
}
