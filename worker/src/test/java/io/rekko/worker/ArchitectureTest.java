package io.rekko.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.rekko.schema.DeadLetterHeaders;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of DESIGN.md ("Where things live"), checked against the worker's
 * compiled main classes: dependencies point inward, the engine knows nothing of faces, and only the
 * composition root ({@code app}) sees everything.
 */
class ArchitectureTest {
  private static final String WORKER = "io.rekko.worker.";
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.rekko.worker");

  @Test
  void nothingButTheCompositionRootImportsApp() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(WORKER + "app..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(WORKER + "app.."));
  }

  @Test
  void theEngineUsesNoOtherPartOfTheWorkerAndOfTheContractOnlyTheDeadLetterHeaders() {
    forbid("engine", "command", "outbox", "store", "redis", "ops", "crypto");
    check(
        noClasses()
            .that()
            .resideInAPackage(WORKER + "engine..")
            .should()
            .dependOnClassesThat(
                resideInAPackage("io.rekko.schema..").and(not(type(DeadLetterHeaders.class)))));
  }

  @Test
  void theStoreAndRedisKnowNoHandlerAndNotEachOther() {
    forbid("store", "command", "outbox", "engine", "redis", "ops");
    forbid("redis", "command", "outbox", "engine", "store", "ops");
  }

  @Test
  void theOutboxKnowsNoHandlerAndNoEngine() {
    forbid("outbox", "command", "engine", "ops");
  }

  @Test
  void supportAndOpsDependOnNoOtherPartOfTheWorker() {
    forbid("support", "command", "outbox", "engine", "store", "redis", "ops", "crypto");
    forbid("ops", "command", "outbox", "engine", "store", "redis", "support", "crypto");
  }

  @Test
  void cryptoKnowsNoServerAndNoHandler() {
    forbid("crypto", "command", "outbox", "engine", "store", "redis", "ops");
  }

  @Test
  void onlyTheStoreUsesJdbiAndOnlyRedisUsesLettuce() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(WORKER + "store..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.jdbi.."));
    check(
        noClasses()
            .that()
            .resideOutsideOfPackage(WORKER + "redis..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.lettuce.."));
  }

  /** No class of the worker's {@code part} depends on a class of any of the {@code others}. */
  private static void forbid(String part, String... others) {
    String[] packages =
        Arrays.stream(others).map(other -> WORKER + other + "..").toArray(String[]::new);
    check(
        noClasses()
            .that()
            .resideInAPackage(WORKER + part + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages));
  }

  private static void check(ArchRule rule) {
    rule.check(MAIN);
  }
}
