package io.rekko.worker.e2e;

import static io.rekko.worker.e2e.Outcomes.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.EventPayload;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.app.WorkerApp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Promises 1 to 4 with two workers in one consumer group sharing six partitions: one outcome per
 * command however often it is delivered, topic order per face, no external id registered twice,
 * never more faces than the quota.
 */
class DeliveryPromisesIT extends EndToEndTest {

  @Override
  String name() {
    return "delivery";
  }

  @Override
  int workers() {
    return 2;
  }

  /** Promise 1. */
  @Test
  void everyCommandEndsInOneOutcomeAndRedeliveryNeverAppliesTwice() {
    Commands tenant = onboard("once");
    List<String> deleted = ids("gone", 20);
    List<String> kept = ids("kept", 20);
    List<Command> mutations = new ArrayList<>();
    List<Command> stream = new ArrayList<>();
    for (String id : deleted) {
      Embedding face = Vectors.random();
      FaceRegister register = tenant.register(id, face);
      Command verify = tenant.verify(id, face);
      Command delete = tenant.delete(id);
      // Each delivered twice in a row, as after a crash between effect and commit.
      stream.addAll(List.of(register, register, verify, verify, delete, delete));
      mutations.addAll(List.of(register, delete));
    }
    for (String id : kept) {
      FaceRegister register = tenant.register(id, Vectors.random());
      stream.addAll(List.of(register, register));
      mutations.add(register);
    }
    stack.sender().sendAll(stream);
    stack.awaitEvents(stream);
    // Redelivered much later, when a second application would show: a register after the delete
    // would bring the face back, a delete of a kept face would remove it.
    stack.sender().sendAll(mutations);
    List<Command> probes = new ArrayList<>();
    for (String id : deleted) {
      probes.add(tenant.verify(id, Vectors.random()));
    }
    stack.sender().sendAll(probes);
    stack.awaitEvents(probes);

    for (Command command : stream) {
      Outcomes.assertOneOutcome(stack, command.commandId());
      Event event = stack.events().forCommand(command.commandId()).getFirst();
      assertEquals(
          command.type().successEvent(),
          event.type(),
          () -> "outcome of " + command.type() + ": " + event.payload());
    }
    for (Command command : mutations) {
      assertEquals(
          1, stack.rows().ledgerRows(tenant.tenant(), command.commandId()), "one ledger row");
    }
    for (Command probe : probes) {
      CommandRejected rejected =
          assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, probe).payload());
      assertEquals(
          RejectionReason.FACE_NOT_FOUND,
          rejected.reason(),
          "a redelivered register brought a face back");
    }
    assertEquals(kept.stream().sorted().toList(), stack.rows().externalIds(tenant.tenant()));
    assertEquals(kept.size(), stack.rows().usageCount(tenant.tenant()));
  }

  /** Promise 2, while a third worker joins and leaves mid-script. */
  @Test
  void effectsAndEventsOfOneFaceFollowTopicOrder() {
    Commands tenant = onboard("order");
    Map<String, List<Command>> perId = new HashMap<>();
    Map<String, Embedding> last = new HashMap<>();
    Map<UUID, Predicate<EventPayload>> expected = new HashMap<>();
    List<Command> stream = new ArrayList<>();
    List<String> ids = ids("face", 24);
    // Interleaved round by round, so that every partition holds many faces' commands.
    List<List<Command>> scripts = new ArrayList<>();
    for (String id : ids) {
      Embedding first = Vectors.random();
      Embedding second = Vectors.random();
      Embedding third = Vectors.random();
      List<Command> script = new ArrayList<>();
      script.add(
          expect(
              expected,
              tenant.register(id, first),
              p -> p instanceof FaceRegistered r && !r.replaced()));
      script.add(
          expect(
              expected, tenant.verify(id, first), p -> p instanceof FaceVerified v && v.matched()));
      script.add(expect(expected, tenant.delete(id), p -> p instanceof FaceDeleted));
      script.add(
          expect(
              expected,
              tenant.verify(id, first),
              Outcomes.rejected(RejectionReason.FACE_NOT_FOUND)));
      script.add(
          expect(
              expected,
              tenant.register(id, second),
              p -> p instanceof FaceRegistered r && !r.replaced()));
      script.add(
          expect(
              expected,
              tenant.register(id, third),
              Outcomes.rejected(RejectionReason.ALREADY_REGISTERED)));
      script.add(
          expect(
              expected,
              tenant.replace(id, third),
              p -> p instanceof FaceRegistered r && r.replaced()));
      script.add(
          expect(
              expected, tenant.verify(id, third), p -> p instanceof FaceVerified v && v.matched()));
      script.add(
          expect(
              expected,
              tenant.verify(id, second),
              p -> p instanceof FaceVerified v && !v.matched()));
      scripts.add(script);
      perId.put(id, script);
      last.put(id, third);
    }
    for (int round = 0; round < scripts.getFirst().size(); round++) {
      for (List<Command> script : scripts) {
        stream.add(script.get(round));
      }
    }

    // A third worker joins after a third of the stream and leaves after two thirds: faces move
    // between workers mid-script, where order is easiest to lose.
    int third = stream.size() / 3;
    stack.sender().sendAll(stream.subList(0, third));
    WorkerApp joining = stack.startWorker();
    E2eHarness.patiently("the third worker takes partitions")
        .until(() -> OpsEndpoint.partitionsAssigned(joining) > 0);
    stack.sender().sendAll(stream.subList(third, 2 * third));
    stack.stopWorker(joining);
    stack.sender().sendAll(stream.subList(2 * third, stream.size()));
    stack.awaitEvents(stream);

    for (String id : ids) {
      List<UUID> sent = perId.get(id).stream().map(Command::commandId).toList();
      assertEquals(sent, arrivalOrder(sent), "events of " + id + " in topic order");
      for (Command command : perId.get(id)) {
        Event event = Outcomes.outcome(stack, command);
        assertTrue(
            expected.get(command.commandId()).test(event.payload()),
            () -> id + ": " + command.type() + " was answered " + event.payload());
      }
      assertArrayEquals(
          last.get(id).toArray(),
          stack.rows().embedding(tenant.tenant(), id).orElseThrow(),
          id + " holds the last registered embedding");
    }
  }

  /**
   * Promise 3. A third worker joins mid-workload and leaves again once it has partitions, so
   * partitions move twice while registrations of the same ids are in flight.
   */
  @Test
  void noExternalIdIsRegisteredTwiceWhateverTheRaces() {
    Commands tenant = onboard("races");
    List<String> ids = ids("race", 30);
    List<FaceRegister> all = new ArrayList<>();
    List<List<FaceRegister>> waves = new ArrayList<>();
    for (int wave = 0; wave < 6; wave++) {
      List<FaceRegister> registrations = new ArrayList<>();
      for (String id : ids) {
        registrations.add(tenant.register(id, Vectors.random()));
      }
      waves.add(registrations);
      all.addAll(registrations);
    }

    stack.sender().sendAll(waves.get(0));
    WorkerApp joining = stack.startWorker();
    stack.sender().sendAll(waves.get(1));
    stack.sender().sendAll(waves.get(2));
    E2eHarness.patiently("the third worker takes partitions")
        .until(() -> OpsEndpoint.partitionsAssigned(joining) > 0);
    stack.sender().sendAll(waves.get(3));
    stack.sender().sendAll(waves.get(4));
    stack.stopWorker(joining);
    stack.sender().sendAll(waves.get(5));
    stack.awaitEvents(all);

    for (String id : ids) {
      List<FaceRegister> winners = new ArrayList<>();
      for (FaceRegister register : all) {
        if (!register.externalId().value().equals(id)) {
          continue;
        }
        EventPayload outcome = Outcomes.outcome(stack, register).payload();
        if (outcome instanceof FaceRegistered) {
          winners.add(register);
        } else {
          assertEquals(
              RejectionReason.ALREADY_REGISTERED,
              assertInstanceOf(CommandRejected.class, outcome).reason());
        }
      }
      assertEquals(1, winners.size(), id + " registered by " + winners.size() + " commands");
      assertArrayEquals(
          winners.getFirst().embedding().toArray(),
          stack.rows().embedding(tenant.tenant(), id).orElseThrow(),
          "the winner's embedding is stored");
    }
    assertEquals(ids.stream().sorted().toList(), stack.rows().externalIds(tenant.tenant()));
    assertEquals(ids.size(), stack.rows().usageCount(tenant.tenant()));
  }

  /** Promise 4: distinct ids, so registrations run in parallel on both workers. */
  @Test
  void faceCountNeverExceedsTheQuota() {
    int quota = 10;
    Commands tenant = onboard("quota", Commands.withMaxFaces(quota));
    List<Command> registrations = new ArrayList<>();
    for (String id : ids("q", 40)) {
      registrations.add(tenant.register(id, Vectors.random()));
    }

    stack.sender().sendAll(registrations);
    stack.awaitEvents(registrations);

    assertEquals(quota, registered(registrations));
    assertEquals(
        registrations.size() - quota, rejected(registrations, RejectionReason.QUOTA_EXCEEDED));
    assertEquals(quota, stack.rows().faceCount(tenant.tenant()));
    assertEquals(quota, stack.rows().usageCount(tenant.tenant()));

    // Deletes and registrations racing: the count ends at the quota or below, never above.
    List<String> present = stack.rows().externalIds(tenant.tenant());
    List<Command> churn = new ArrayList<>();
    for (String id : present.subList(0, 5)) {
      churn.add(tenant.delete(id));
    }
    for (String id : ids("r", 20)) {
      churn.add(tenant.register(id, Vectors.random()));
    }
    stack.sender().sendAll(churn);
    stack.awaitEvents(churn);

    long faces = stack.rows().faceCount(tenant.tenant());
    assertTrue(faces <= quota, faces + " faces for a quota of " + quota);
    assertEquals(quota - 5 + registered(churn), faces);
    assertEquals(faces, stack.rows().usageCount(tenant.tenant()));
  }

  private long registered(List<Command> commands) {
    return commands.stream()
        .filter(c -> Outcomes.outcome(stack, c).type() == EventType.FACE_REGISTERED)
        .count();
  }

  private long rejected(List<Command> commands, RejectionReason reason) {
    return commands.stream()
        .filter(
            c ->
                Outcomes.outcome(stack, c).payload() instanceof CommandRejected r
                    && r.reason() == reason)
        .count();
  }

  /** The given command ids, in the order their first event arrived. */
  private List<UUID> arrivalOrder(List<UUID> ids) {
    Set<UUID> wanted = Set.copyOf(ids);
    Set<UUID> order = new LinkedHashSet<>();
    for (Event event : stack.events().events()) {
      if (wanted.contains(event.commandId())) {
        order.add(event.commandId());
      }
    }
    return List.copyOf(order);
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }
}
