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
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of DESIGN.md ("Where things live"), checked against the worker's
 * compiled main classes: dependencies point inward, the engine knows nothing of faces, and only
 * the composition root ({@code app}) sees everything.
 */
class ArchitectureTest {
  private static final String WORKER = "io.rekko.worker.";
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.rekko.worker");

  @Test
  void nothingButTheCompositionRootImportsApp() {
    check(noClasses().that().resideOutsideOfPackage(WORKER + "app..")
        .should().dependOnClassesThat().resideInAPackage(WORKER + "app.."));
  }

  @Test
  void theEngineUsesNoOtherPartOfTheWorkerAndOfTheContractOnlyTheDeadLetterHeaders() {
    check(noClasses().that().resideInAPackage(WORKER + "engine..")
        .should().dependOnClassesThat().resideInAnyPackage(
            WORKER + "command..", WORKER + "store..", WORKER + "redis..", WORKER + "ops..",
            WORKER + "outbox.."));
    check(noClasses().that().resideInAPackage(WORKER + "engine..")
        .should().dependOnClassesThat(
            resideInAPackage("io.rekko.schema..").and(not(type(DeadLetterHeaders.class)))));
  }

  @Test
  void theStoreAndRedisKnowNoHandlerAndNotEachOther() {
    check(noClasses().that().resideInAPackage(WORKER + "store..")
        .should().dependOnClassesThat().resideInAnyPackage(
            WORKER + "command..", WORKER + "outbox..", WORKER + "engine..", WORKER + "redis..",
            WORKER + "ops.."));
    check(noClasses().that().resideInAPackage(WORKER + "redis..")
        .should().dependOnClassesThat().resideInAnyPackage(
            WORKER + "command..", WORKER + "outbox..", WORKER + "engine..", WORKER + "store..",
            WORKER + "ops.."));
  }

  @Test
  void supportAndOpsDependOnNoOtherPartOfTheWorker() {
    check(noClasses().that().resideInAPackage(WORKER + "support..")
        .should().dependOnClassesThat().resideInAnyPackage(
            WORKER + "command..", WORKER + "outbox..", WORKER + "engine..", WORKER + "store..",
            WORKER + "redis..", WORKER + "ops.."));
    check(noClasses().that().resideInAPackage(WORKER + "ops..")
        .should().dependOnClassesThat().resideInAnyPackage(
            WORKER + "command..", WORKER + "outbox..", WORKER + "engine..", WORKER + "store..",
            WORKER + "redis..", WORKER + "support.."));
  }

  @Test
  void onlyTheStoreUsesJdbiAndOnlyRedisUsesLettuce() {
    check(noClasses().that().resideOutsideOfPackage(WORKER + "store..")
        .should().dependOnClassesThat().resideInAPackage("org.jdbi.."));
    check(noClasses().that().resideOutsideOfPackage(WORKER + "redis..")
        .should().dependOnClassesThat().resideInAPackage("io.lettuce.."));
  }

  private static void check(ArchRule rule) {
    rule.check(MAIN);
  }
}
