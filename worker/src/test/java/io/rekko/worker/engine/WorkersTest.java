package io.rekko.worker.engine;

import static io.rekko.worker.engine.TestRecords.P0;
import static io.rekko.worker.engine.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkersTest {
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

  private static List<PendingRecord> batch(int size) {
    return java.util.stream.IntStream.range(0, size)
        .mapToObj(i -> new PendingRecord(record(P0, i, "k" + i), null, i))
        .toList();
  }

  private Completion.Handled run(RecordHandler handler, List<PendingRecord> batch)
      throws InterruptedException {
    Workers workers = new Workers("test", handler, null, completions);
    try {
      workers.handle(batch);
      return (Completion.Handled) completions.poll(10, TimeUnit.SECONDS);
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void theHandlersResultsComeBackWithTheirBatch() throws InterruptedException {
    List<PendingRecord> batch = batch(2);
    Completion.Handled handled =
        run(records -> List.of(HandlerResult.done(), HandlerResult.done()), batch);
    assertSame(batch, handled.batch());
    assertEquals(List.of(HandlerResult.done(), HandlerResult.done()), handled.results());
  }

  @Test
  void aThrowingHandlerFailsEveryRecordOfTheBatch() throws InterruptedException {
    IllegalStateException boom = new IllegalStateException("boom");
    Completion.Handled handled =
        run(
            records -> {
              throw boom;
            },
            batch(3));
    assertEquals(3, handled.results().size());
    for (HandlerResult result : handled.results()) {
      assertSame(boom, assertInstanceOf(HandlerResult.Retry.class, result).cause());
    }
  }

  @Test
  void handlersRunOnNamedVirtualThreads() throws InterruptedException {
    String[] name = new String[1];
    boolean[] virtual = new boolean[1];
    run(
        records -> {
          name[0] = Thread.currentThread().getName();
          virtual[0] = Thread.currentThread().isVirtual();
          return List.of(HandlerResult.done());
        },
        batch(1));
    assertTrue(name[0].startsWith("test-handler-"), name[0]);
    assertTrue(virtual[0]);
  }

  @Test
  void aWrongNumberOfResultsIsAFailureOfEveryRecord() {
    List<HandlerResult> results = Workers.checked(List.of(HandlerResult.done()), 2);
    assertEquals(2, results.size());
    results.forEach(result -> assertInstanceOf(HandlerResult.Retry.class, result));
    assertEquals(2, Workers.checked(null, 2).size());
  }

  @Test
  void aNullResultIsAFailureOfItsRecord() {
    List<HandlerResult> results = Workers.checked(Arrays.asList(HandlerResult.done(), null), 2);
    assertEquals(HandlerResult.done(), results.get(0));
    assertInstanceOf(HandlerResult.Retry.class, results.get(1));
  }
}
